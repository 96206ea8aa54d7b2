/**
 * A real full disk: the data directory lives on a small tmpfs, which the test
 * fills up while tills are writing. Needs permission to mount (root, as on
 * the project's machines and CI); skipped with a reason otherwise.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { closeSync, mkdirSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, describe, test } from 'node:test';
import { getJson, killAll, metrics, metricValue, openClient, startServer, synced, tempDir, waitFor, type Client } from './harness.js';

const run = promisify(execFile);

/** Writes until the filesystem is full; returns the bytes written. */
function fillDisk(path: string): number {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  let written = 0;
  try {
    for (;;) written += writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  // Smaller writes still fit into the last partial block; take that too.
  const small = openSync(path + '.tail', 'w');
  try {
    for (;;) written += writeSync(small, Buffer.alloc(512, 1));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(small);
  }
  return written;
}

describe('sync server: storage write failure (full disk)', () => {
  const clients: Client[] = [];
  let mountPoint: string | null = null;
  let parent: Awaited<ReturnType<typeof tempDir>> | null = null;

  after(async () => {
    for (const c of clients) c.destroy();
    await killAll();
    if (mountPoint !== null) await run('umount', ['-l', mountPoint]).catch(() => {});
    await parent?.remove();
  });

  test('a full disk makes /healthz not ready, refuses the update without relaying it, and stores it once space is back', async (t) => {
    const scratch = await tempDir();
    parent = scratch;
    const mnt = join(scratch.path, 'mnt');
    mkdirSync(mnt);
    try {
      await run('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', mnt]);
    } catch (err) {
      t.skip(`cannot mount a tmpfs here (${(err as Error).message.split('\n')[0]}); run as root to test a real full disk`);
      return;
    }
    mountPoint = mnt;
    const dataDir = join(mnt, 'data');
    const filler = join(mnt, 'filler');

    const server = await startServer({ dataDir });
    const store = 'fragile';
    const writer = openClient(server.url, store);
    const observer = openClient(server.url, store);
    clients.push(writer, observer);
    await Promise.all([synced(writer), synced(observer)]);
    for (let i = 0; i < 5; i++) writer.doc.getMap('data').set(`before-${i}`, i);
    await waitFor(() => observer.doc.getMap('data').size === 5, { what: 'observer to get the first writes' });

    const filled = fillDisk(filler);
    t.diagnostic(`filled the tmpfs with ${filled} bytes`);

    // Keep writing until a write hits the full disk (the first may still fit in allocated pages).
    let attempts = 0;
    await waitFor(
      async () => {
        writer.doc.getMap('data').set(`during-${attempts}`, 'v'.repeat(4000));
        attempts++;
        const health = await getJson(`${server.httpUrl}/healthz`);
        return health.status === 503 ? health : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 50, what: '/healthz to turn not ready' },
    );
    t.diagnostic(`storage failed after ${attempts} writes on the full disk`);
    const health = await getJson(`${server.httpUrl}/healthz`);
    assert.equal(health.status, 503);
    assert.equal(health.body.ready, false);
    assert.equal(health.body.live, true);
    assert.equal((health.body.storage as { ok: boolean }).ok, false);
    assert.ok(
      server.logs.some((line) => line.level === 'error' && line.msg.startsWith('storage write failed')),
      'the failure is logged as an error',
    );
    await waitFor(() => writer.closeCodes.includes(4503), { what: 'the writer to be closed with 4503' });
    const text = await metrics(server);
    assert.ok((metricValue(text, 'pos_sync_storage_write_errors_total') ?? 0) >= 1);
    assert.equal(metricValue(text, 'pos_sync_storage_ready'), 0);

    // Not stored means not relayed: the observer lacks what the writer holds.
    const writerKeys = [...writer.doc.getMap('data').keys()];
    const missing = writerKeys.filter((key) => !observer.doc.getMap('data').has(key));
    assert.ok(missing.length >= 1, 'at least the failed write was not relayed');
    t.diagnostic(`${missing.length} writes not relayed while the disk was full`);

    // While the disk stays full, recovery attempts must fail too (no flapping back to ready).
    await waitFor(() => server.logs.some((line) => line.msg === 'storage still failing'), { what: 'a failed recovery attempt' });
    assert.equal((await getJson(`${server.httpUrl}/healthz`)).status, 503);

    unlinkSync(filler);
    unlinkSync(filler + '.tail');
    await waitFor(async () => (await getJson(`${server.httpUrl}/healthz`)).status === 200, { timeoutMs: 10_000, what: 'storage to recover' });
    assert.ok(server.logs.some((line) => line.msg === 'storage recovered'));
    // The writer's provider reconnects and its sync step 2 resends what the server lacks.
    await waitFor(() => writerKeys.every((key) => observer.doc.getMap('data').has(key)), {
      timeoutMs: 10_000,
      what: 'the refused writes to arrive after recovery',
    });

    writer.provider.disconnect();
    observer.provider.disconnect();
    await server.kill('SIGKILL');
    const restarted = await startServer({ dataDir });
    const fresh = openClient(restarted.url, store);
    clients.push(fresh);
    await synced(fresh);
    for (const key of writerKeys) assert.ok(fresh.doc.getMap('data').has(key), `${key} is on disk`);
    await restarted.kill('SIGTERM');
  });
});
