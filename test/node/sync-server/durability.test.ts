import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { killAll, openClient, startServer, synced, tempDir, waitFor, type Client } from './harness.js';

/** Pacing only: spreads a burst over time so the kill lands in the middle of it. */
const pace = (): Promise<void> => sleep(2);

function keysOf(client: Client): Set<string> {
  return new Set(client.doc.getMap('data').keys());
}

describe('sync server: durability', () => {
  const dirs: Array<{ remove(): Promise<void> }> = [];
  const clients: Client[] = [];
  const track = (client: Client): Client => {
    clients.push(client);
    return client;
  };

  after(async () => {
    for (const c of clients) c.destroy();
    await killAll();
    for (const d of dirs) await d.remove();
  });

  test('SIGKILL in a burst from 3 clients: after restart every client and a fresh one hold all 600 writes', async (t) => {
    const dir = await tempDir();
    dirs.push(dir);
    const first = await startServer({ dataDir: dir.path });
    const store = 'burst';
    const writers = [0, 1, 2].map(() => track(openClient(first.url, store)));
    const observer = track(openClient(first.url, store));
    await Promise.all([...writers, observer].map((c) => synced(c)));

    const perWriter = 200;
    const bursts = writers.map(async (writer, w) => {
      for (let i = 0; i < perWriter; i++) {
        writer.doc.getMap('data').set(`w${w}-${i}`, i);
        await pace();
      }
    });
    await waitFor(() => observer.doc.getMap('data').size >= 150, { what: 'observer to see 150 relayed writes' });
    const killed = await first.kill('SIGKILL');
    assert.equal(killed.signal, 'SIGKILL');
    const relayedBeforeKill = keysOf(observer);
    const writtenBeforeKill = writers.reduce((sum, writer, w) => sum + [...keysOf(writer)].filter((key) => key.startsWith(`w${w}-`)).length, 0);
    t.diagnostic(`at the kill: ${writtenBeforeKill} of 600 writes made, ${relayedBeforeKill.size} relayed to the observer`);
    assert.ok(writtenBeforeKill < 600, 'the kill landed in the middle of the burst');
    await Promise.all(bursts);

    const second = await startServer({ dataDir: dir.path, port: first.port });
    const fresh = track(openClient(second.url, store));
    const total = perWriter * writers.length;
    await waitFor(() => [...writers, observer, fresh].every((c) => c.doc.getMap('data').size === total), {
      timeoutMs: 15_000,
      what: `all clients to hold ${total} keys`,
    });
    for (const key of relayedBeforeKill) assert.ok(fresh.doc.getMap('data').has(key), `relayed key ${key} survived`);
    await second.kill('SIGTERM');
  });

  test('what a reader received before SIGKILL is on disk even if nobody resends it', async (t) => {
    const dir = await tempDir();
    dirs.push(dir);
    const first = await startServer({ dataDir: dir.path });
    const store = 'writer-gone';
    const writer = track(openClient(first.url, store));
    const reader = track(openClient(first.url, store));
    await Promise.all([synced(writer), synced(reader)]);
    let written = 0;
    let stop = false;
    const burst = (async () => {
      for (; written < 1000 && !stop; written++) {
        writer.doc.getMap('data').set(`k${written}`, written);
        await pace();
      }
    })();
    await waitFor(() => reader.doc.getMap('data').size >= 100, { what: 'reader to see 100 writes' });
    first.child.kill('SIGKILL');
    // Neither may ever talk to the server again: only the disk can hold their data now.
    writer.provider.disconnect();
    reader.provider.disconnect();
    stop = true;
    await first.exited;
    await burst;
    assert.ok(written < 1000, 'the kill landed in the middle of the burst');
    const seen = keysOf(reader);
    t.diagnostic(`reader had seen ${seen.size} writes; the writer had made ${writer.doc.getMap('data').size}`);

    const second = await startServer({ dataDir: dir.path });
    const fresh = track(openClient(second.url, store));
    await synced(fresh);
    const restored = keysOf(fresh);
    for (const key of seen) assert.ok(restored.has(key), `key ${key} the reader had received is on disk`);
    assert.ok(restored.size >= seen.size);
    for (const key of restored) assert.ok(writer.doc.getMap('data').has(key), `restored key ${key} was really written`);
    await second.kill('SIGTERM');
  });

  test('SIGTERM: clients get 1001, the process exits 0, and everything received is there after restart', async (t) => {
    const dir = await tempDir();
    dirs.push(dir);
    const first = await startServer({ dataDir: dir.path });
    const store = 'graceful';
    const writer = track(openClient(first.url, store));
    const observer = track(openClient(first.url, store));
    await Promise.all([synced(writer), synced(observer)]);
    let stop = false;
    const burst = (async () => {
      for (let i = 0; i < 1000 && !stop; i++) {
        writer.doc.getMap('data').set(`k${i}`, i);
        await pace();
      }
    })();
    await waitFor(() => observer.doc.getMap('data').size >= 100, { what: 'observer to see 100 writes' });
    first.child.kill('SIGTERM');
    const exit = await first.exited;
    stop = true;
    writer.provider.disconnect();
    observer.provider.disconnect();
    await burst;
    assert.equal(exit.code, 0);
    assert.ok(first.logs.some((line) => line.msg === 'stopped'));
    assert.ok(writer.closeCodes.includes(1001), `writer saw close codes ${writer.closeCodes.join(',')}`);
    const seen = keysOf(observer);
    t.diagnostic(`observer had ${seen.size} writes at shutdown`);

    const second = await startServer({ dataDir: dir.path });
    const fresh = track(openClient(second.url, store));
    await synced(fresh);
    for (const key of seen) assert.ok(fresh.doc.getMap('data').has(key), `key ${key} survived the shutdown`);
    await second.kill('SIGTERM');
  });
});
