import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { killAll, metrics, metricValue, openClient, openRawSocket, startServer, synced, tempDir, waitFor, type Client, type ServerProcess } from './harness.js';

describe('sync server: sync and isolation', () => {
  let server: ServerProcess;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  const clients: Client[] = [];
  const client = (store: string): Client => {
    const c = openClient(server.url, store);
    clients.push(c);
    return c;
  };

  before(async () => {
    dir = await tempDir();
    server = await startServer({ dataDir: dir.path });
  });

  after(async () => {
    for (const c of clients) c.destroy();
    await killAll();
    await dir.remove();
  });

  test('warns loudly when started without a secret', () => {
    const warning = server.logs.find((line) => line.level === 'warn' && /AUTHENTICATION DISABLED/.test(line.msg));
    assert.ok(warning, 'expected an authentication warning at start');
    assert.deepEqual(server.rawOutput, [], 'every output line is JSON');
  });

  test('two clients of one store converge, in both directions', async () => {
    const a = client('store-one');
    const b = client('store-one');
    await Promise.all([synced(a), synced(b)]);
    a.doc.getMap('data').set('from-a', 1);
    b.doc.getMap('data').set('from-b', 2);
    b.doc.getArray('list').push(['x', 'y']);
    await waitFor(() => a.doc.getMap('data').get('from-b') === 2 && b.doc.getMap('data').get('from-a') === 1 && a.doc.getArray('list').length === 2, {
      what: 'convergence',
    });
    assert.deepEqual(a.doc.getMap('data').toJSON(), b.doc.getMap('data').toJSON());
  });

  test('a client joining later gets the whole store', async () => {
    const late = client('store-one');
    await synced(late);
    await waitFor(() => late.doc.getMap('data').size === 2, { what: 'late client to have both keys' });
    assert.deepEqual(late.doc.getArray('list').toArray(), ['x', 'y']);
  });

  test('clients of two stores never see each other’s data', async () => {
    const x = client('store-x');
    const y = client('store-y');
    await Promise.all([synced(x), synced(y)]);
    x.doc.getMap('data').set('secret-of-x', 'x');
    y.doc.getMap('data').set('secret-of-y', 'y');
    // A second client of each store proves the updates did go through the server.
    const x2 = client('store-x');
    const y2 = client('store-y');
    await waitFor(() => x2.doc.getMap('data').get('secret-of-x') === 'x' && y2.doc.getMap('data').get('secret-of-y') === 'y', { what: 'both stores to sync' });
    for (const doc of [x.doc, x2.doc]) assert.equal(doc.getMap('data').has('secret-of-y'), false);
    for (const doc of [y.doc, y2.doc]) assert.equal(doc.getMap('data').has('secret-of-x'), false);
    assert.equal(x2.doc.getMap('data').has('from-a'), false);
  });

  test('awareness is relayed within a store only, and removed when a till leaves', async () => {
    const a = client('aware-1');
    const b = client('aware-1');
    const other = client('aware-2');
    await Promise.all([synced(a), synced(b), synced(other)]);
    a.provider.awareness.setLocalStateField('user', { till: 'till-a' });
    await waitFor(() => b.provider.awareness.getStates().get(a.doc.clientID)?.user?.till === 'till-a', { what: 'awareness to reach b' });
    assert.equal(other.provider.awareness.getStates().has(a.doc.clientID), false);
    a.provider.disconnect();
    await waitFor(() => !b.provider.awareness.getStates().has(a.doc.clientID), { what: 'awareness removal to reach b' });
  });

  test('query-awareness is answered with the current awareness states', async () => {
    const a = client('aware-3');
    await synced(a);
    a.provider.awareness.setLocalStateField('user', { till: 'till-q' });
    const raw = await openRawSocket(`${server.url}/aware-3`);
    await waitFor(() => raw.messages.length > 0, { what: 'server greeting' });
    // Wait until the server knows a's state (it arrives asynchronously), then ask.
    let found = false;
    await waitFor(
      async () => {
        const before = raw.messages.length;
        raw.ws.send(new Uint8Array([3]));
        await waitFor(() => raw.messages.length > before, { what: 'awareness answer' });
        for (const message of raw.messages.slice(before)) {
          const decoder = decoding.createDecoder(message);
          if (decoding.readVarUint(decoder) !== 1) continue;
          const update = decoding.readVarUint8Array(decoder);
          const d = decoding.createDecoder(update);
          const n = decoding.readVarUint(d);
          for (let i = 0; i < n; i++) {
            const clientId = decoding.readVarUint(d);
            decoding.readVarUint(d);
            const state = JSON.parse(decoding.readVarString(d)) as { user?: { till?: string } } | null;
            if (clientId === a.doc.clientID && state?.user?.till === 'till-q') found = true;
          }
        }
        return found;
      },
      { what: 'awareness answer with till-q' },
    );
    raw.ws.close();
  });

  test('a reconnecting client gets only what it lacks: step 1 is answered with a diff', async () => {
    const writer = client('diff-store');
    await synced(writer);
    const big = 'x'.repeat(2000);
    writer.doc.transact(() => {
      for (let i = 0; i < 500; i++) writer.doc.getMap('data').set(`k${i}`, big);
    });
    const reader = client('diff-store');
    await waitFor(() => reader.doc.getMap('data').size === 500, { what: 'reader to get 500 keys' });
    const fullSize = Y.encodeStateAsUpdate(reader.doc).length;
    assert.ok(fullSize > 900_000, `store is large (${fullSize} bytes)`);

    // Speak the protocol by hand, as a till that already holds the store.
    const raw = await openRawSocket(`${server.url}/diff-store`);
    const step1 = encoding.createEncoder();
    encoding.writeVarUint(step1, 0);
    encoding.writeVarUint(step1, 0);
    encoding.writeVarUint8Array(step1, Y.encodeStateVector(reader.doc));
    raw.ws.send(encoding.toUint8Array(step1));
    const step2 = await waitFor(() => raw.messages.find((m) => m[0] === 0 && m[1] === 1), { what: 'sync step 2' });
    assert.ok(step2.length < 100, `a till that has everything gets a tiny step 2 (${step2.length} bytes), not the ${fullSize}-byte store`);

    // And one that lacks a single key gets about that key.
    const stale = new Y.Doc();
    Y.applyUpdate(stale, Y.encodeStateAsUpdate(reader.doc));
    writer.doc.getMap('data').set('one-more', big);
    await waitFor(() => reader.doc.getMap('data').has('one-more'), { what: 'reader to get one-more' });
    const before = raw.messages.length;
    const again = encoding.createEncoder();
    encoding.writeVarUint(again, 0);
    encoding.writeVarUint(again, 0);
    encoding.writeVarUint8Array(again, Y.encodeStateVector(stale));
    raw.ws.send(encoding.toUint8Array(again));
    const diff = await waitFor(() => raw.messages.slice(before).find((m) => m[0] === 0 && m[1] === 1), { what: 'second step 2' });
    assert.ok(diff.length < big.length + 200, `diff holds about one key (${diff.length} bytes)`);
    raw.ws.close();
  });

  test('/healthz reports live, ready and storage ok', async () => {
    const res = await fetch(`${server.httpUrl}/healthz`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    const body = (await res.json()) as { live: boolean; ready: boolean; storage: { ok: boolean } };
    assert.equal(body.live, true);
    assert.equal(body.ready, true);
    assert.equal(body.storage.ok, true);
  });

  test('/metrics exposes the documented metrics in Prometheus text format', async () => {
    const text = await metrics(server);
    for (const name of [
      'pos_sync_rooms',
      'pos_sync_connections',
      'pos_sync_updates_received_total',
      'pos_sync_bytes_received_total',
      'pos_sync_bytes_sent_total',
      'pos_sync_storage_write_errors_total',
      'pos_sync_storage_size_bytes',
      'pos_sync_storage_ready',
    ]) {
      assert.match(text, new RegExp(`^# TYPE ${name} (counter|gauge)$`, 'm'), `${name} is declared`);
    }
    assert.ok((metricValue(text, 'pos_sync_rooms') ?? 0) >= 4);
    assert.ok((metricValue(text, 'pos_sync_connections') ?? 0) >= 4);
    assert.ok((metricValue(text, 'pos_sync_updates_received_total') ?? 0) > 0);
    assert.ok((metricValue(text, 'pos_sync_bytes_sent_total') ?? 0) > 1_000_000);
    assert.ok((metricValue(text, 'pos_sync_storage_size_bytes') ?? 0) > 0);
    assert.equal(metricValue(text, 'pos_sync_storage_ready'), 1);
    assert.equal(metricValue(text, 'pos_sync_storage_write_errors_total'), 0);
    assert.ok((metricValue(text, 'pos_sync_connections_closed_total', '{reason="client_closed"}') ?? 0) >= 1);
  });

  test('other paths: 404, and 426 for a store path without upgrade', async () => {
    assert.equal((await fetch(`${server.httpUrl}/nope/nope`)).status, 404);
    assert.equal((await fetch(`${server.httpUrl}/store-one`)).status, 426);
  });
});
