/**
 * A store with many customers: a till uploads it in one sync step 2, and a
 * fresh till gets it in its first sync, from a warm and from a cold server.
 * POS_SYNC_TEST_CUSTOMERS=100000 runs it at full size (~40 MB, ~30 s); the
 * default keeps the suite fast.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import * as Y from 'yjs';
import { buildStoreDocument } from '../../fixtures/customer-generator.js';
import { killAll, metrics, metricValue, openClient, startServer, synced, tempDir, waitFor, type Client } from './harness.js';

const customers = Number(process.env.POS_SYNC_TEST_CUSTOMERS ?? '20000');
/** The provider drops a connection that received nothing for 30 s. */
const providerTimeoutMs = 30_000;

describe(`sync server: a store of ${customers} customers`, () => {
  const clients: Client[] = [];
  const dirs: Array<{ remove(): Promise<void> }> = [];

  after(async () => {
    for (const c of clients) c.destroy();
    await killAll();
    for (const d of dirs) await d.remove();
  });

  test('uploaded in one step 2, then synced to fresh tills within the provider timeout', async (t) => {
    const dir = await tempDir();
    dirs.push(dir);
    const server = await startServer({ dataDir: dir.path });
    // The real document layout (one plain record per customer), from the shared fixture generator.
    const doc = buildStoreDocument(customers);
    const lastId = [...doc.getMap('customers').keys()].at(-1);
    const size = Y.encodeStateAsUpdate(doc).length;
    t.diagnostic(`store document: ${(size / 1e6).toFixed(1)} MB`);

    let started = performance.now();
    const seeder = openClient(server.url, 'big-store', { doc });
    clients.push(seeder);
    await synced(seeder, providerTimeoutMs);
    await waitFor(async () => (metricValue(await metrics(server), 'pos_sync_updates_persisted_total') ?? 0) >= 1, {
      timeoutMs: providerTimeoutMs,
      what: 'the upload to be stored',
    });
    t.diagnostic(`upload stored after ${Math.round(performance.now() - started)} ms`);

    started = performance.now();
    const warm = openClient(server.url, 'big-store');
    clients.push(warm);
    await waitFor(() => warm.doc.getMap('customers').size === customers, {
      timeoutMs: providerTimeoutMs,
      intervalMs: 100,
      what: 'first sync from a warm server',
    });
    const warmMs = performance.now() - started;
    t.diagnostic(`fresh till, store in memory: ${Math.round(warmMs)} ms`);
    assert.equal(warm.closeCodes.length, 0, 'no reconnects during the first sync');
    warm.provider.disconnect();
    seeder.provider.disconnect();

    const stopped = await server.kill('SIGTERM');
    assert.equal(stopped.code, 0);
    const cold = await startServer({ dataDir: dir.path });
    started = performance.now();
    const fresh = openClient(cold.url, 'big-store');
    clients.push(fresh);
    await waitFor(() => fresh.doc.getMap('customers').size === customers, {
      timeoutMs: providerTimeoutMs,
      intervalMs: 100,
      what: 'first sync from a cold server',
    });
    const coldMs = performance.now() - started;
    t.diagnostic(`fresh till, store loaded from disk: ${Math.round(coldMs)} ms`);
    assert.equal(fresh.closeCodes.length, 0, 'no reconnects during the first sync');
    assert.ok(lastId !== undefined);
    assert.deepEqual(fresh.doc.getMap('customers').get(lastId), doc.getMap('customers').get(lastId));
    assert.ok(warmMs < providerTimeoutMs && coldMs < providerTimeoutMs);
    await cold.kill('SIGTERM');
  });
});
