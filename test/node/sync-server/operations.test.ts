import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, describe, test } from 'node:test';
import { LeveldbPersistence } from 'y-leveldb';
import { binPath, getJson, killAll, metrics, metricValue, openClient, repoRoot, startServer, synced, tempDir, waitFor, type Client } from './harness.js';

const run = promisify(execFile);

describe('sync server: operations', () => {
  const dirs: Array<{ remove(): Promise<void> }> = [];
  const clients: Client[] = [];

  after(async () => {
    for (const c of clients) c.destroy();
    await killAll();
    for (const d of dirs) await d.remove();
  });

  test('`npx pos-sync-server --help` works from the repository', async () => {
    const { stdout } = await run('npx', ['--no-install', 'pos-sync-server', '--help'], { cwd: repoRoot });
    assert.match(stdout, /Usage:/);
    for (const flag of ['--port', '--host', '--data', '--secret', '--max-message-bytes', '--log-level', 'token'])
      assert.ok(stdout.includes(flag), `help mentions ${flag}`);
  });

  test('an unknown flag or bad value exits with 2 and says why', async () => {
    for (const args of [['--bogus'], ['--port', 'abc'], ['--log-level', 'loud'], ['--max-message-bytes', '12 parsecs']]) {
      await assert.rejects(run(process.execPath, [binPath, ...args], { cwd: repoRoot }), (err: Error & { code?: number; stderr?: string }) => {
        assert.equal(err.code, 2, `exit code for ${args.join(' ')}`);
        assert.match(err.stderr ?? '', /pos-sync-server: /);
        return true;
      });
    }
  });

  test('stores are compacted, unloaded when idle, reloaded intact, and readable by y-leveldb', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const server = await startServer({ dataDir: dir.path, args: ['--room-grace-ms', '300', '--compact-after', '20', '--log-level', 'debug'] });
    const writer = openClient(server.url, 'compact-me');
    clients.push(writer);
    await synced(writer);
    for (let i = 0; i < 50; i++) writer.doc.getMap('data').set(`k${i}`, i);
    await waitFor(async () => (metricValue(await metrics(server), 'pos_sync_updates_persisted_total') ?? 0) >= 50, { what: '50 persisted updates' });
    const text = await metrics(server);
    assert.ok((metricValue(text, 'pos_sync_compactions_total') ?? 0) >= 1, 'compacted after 20 updates');
    assert.equal(metricValue(text, 'pos_sync_rooms'), 1);

    writer.provider.disconnect();
    await waitFor(async () => metricValue(await metrics(server), 'pos_sync_rooms') === 0, { what: 'the idle store to be unloaded' });
    assert.ok(server.logs.some((line) => line.msg === 'room unloaded' && line.store === 'compact-me'));

    const reader = openClient(server.url, 'compact-me');
    clients.push(reader);
    await synced(reader);
    await waitFor(() => reader.doc.getMap('data').size === 50, { what: 'reloaded store to hold 50 keys' });
    const loads = server.logs.filter((line) => line.msg === 'room loaded' && line.store === 'compact-me');
    assert.equal(loads.length, 2);
    assert.equal(loads[1]?.updates, 1, 'unloading compacted the store into a single update');
    reader.provider.disconnect();

    const stopped = await server.kill('SIGINT');
    assert.equal(stopped.code, 0);

    const persistence = new LeveldbPersistence(dir.path);
    try {
      assert.deepEqual(await persistence.getAllDocNames(), ['compact-me']);
      const doc = await persistence.getYDoc('compact-me');
      assert.equal(doc.getMap('data').size, 50);
      assert.equal(doc.getMap('data').get('k49'), 49);
    } finally {
      await persistence.destroy();
    }
  });

  test('a second server on the same data directory refuses to start', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const first = await startServer({ dataDir: dir.path });
    await assert.rejects(startServer({ dataDir: dir.path }), /server exited with 1/);
    const health = await getJson(`${first.httpUrl}/healthz`);
    assert.equal(health.status, 200);
    await first.kill('SIGTERM');
  });
});
