import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import * as encoding from 'lib0/encoding';
import {
  getJson,
  killAll,
  metrics,
  metricValue,
  openClient,
  openRawSocket,
  startServer,
  synced,
  tempDir,
  waitFor,
  type Client,
  type RawSocket,
  type ServerProcess,
} from './harness.js';

const KiB = 1024;
const MiB = 1024 * KiB;

function syncMessage(subtype: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, subtype);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

function awarenessMessage(clientId: number, clock: number, stateJson: string): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, 1);
  encoding.writeVarUint(inner, clientId);
  encoding.writeVarUint(inner, clock);
  encoding.writeVarString(inner, stateJson);
  const outer = encoding.createEncoder();
  encoding.writeVarUint(outer, 1);
  encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));
  return encoding.toUint8Array(outer);
}

describe('sync server: hostile and broken clients', () => {
  let server: ServerProcess;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let a: Client;
  let b: Client;
  let round = 0;
  const store = 'victim';

  /** The well-behaved pair in the attacked store still syncs through the server. */
  const stillSyncing = async (): Promise<void> => {
    const key = `round-${++round}`;
    a.doc.getMap('data').set(key, round);
    await waitFor(() => b.doc.getMap('data').get(key) === round, { what: `well-behaved clients to sync ${key}` });
    const health = await getJson(`${server.httpUrl}/healthz`);
    assert.equal(health.status, 200);
  };

  const attack = async (send: (raw: RawSocket) => void, path = store): Promise<{ code: number; reason: string }> => {
    const raw = await openRawSocket(`${server.url}/${path}`);
    send(raw);
    return raw.closed;
  };

  const loggedClose = (reason: string): boolean =>
    server.logs.some((line) => line.msg === 'closing connection' && line.reason === reason && line.store === store && typeof line.code === 'number');

  before(async () => {
    dir = await tempDir();
    server = await startServer({
      dataDir: dir.path,
      args: ['--max-message-bytes', '1MiB', '--max-buffered-bytes', '4MiB', '--rate-messages', '50', '--rate-messages-burst', '100', '--rate-bytes', '512KiB'],
    });
    a = openClient(server.url, store);
    b = openClient(server.url, store);
    await Promise.all([synced(a), synced(b)]);
    await stillSyncing();
  });

  after(async () => {
    a.destroy();
    b.destroy();
    await killAll();
    await dir.remove();
  });

  test('a garbage Yjs update is refused with 1007 and never stored', async () => {
    const garbage = new Uint8Array([1, 200, 1, 7, 0, 33, 44, 0xff, 0xff, 0x13]);
    const closed = await attack((raw) => raw.ws.send(syncMessage(2, garbage)));
    assert.equal(closed.code, 1007);
    assert.match(closed.reason, /malformed message: cannot decode Yjs update/);
    assert.ok(loggedClose('malformed'));
    await stillSyncing();
  });

  test('bad lib0 encoding (truncated payload, trailing bytes, bad awareness JSON) is refused with 1007', async () => {
    const truncated = await attack((raw) => raw.ws.send(new Uint8Array([0, 0, 50, 1])));
    assert.equal(truncated.code, 1007);
    const trailing = await attack((raw) => raw.ws.send(new Uint8Array([3, 0, 0])));
    assert.equal(trailing.code, 1007);
    const badJson = await attack((raw) => raw.ws.send(awarenessMessage(42, 1, '{not json')));
    assert.equal(badJson.code, 1007);
    const badSubtype = await attack((raw) => raw.ws.send(syncMessage(9, new Uint8Array([0]))));
    assert.equal(badSubtype.code, 1007);
    await stillSyncing();
  });

  test('random binary frames close the connection with 1007 or 1008', async () => {
    // A fixed pseudo-random sequence keeps the test reproducible.
    let seed = 12345;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 0xff;
    for (let i = 0; i < 5; i++) {
      const frame = Uint8Array.from({ length: 64 + i * 50 }, next);
      const closed = await attack((raw) => raw.ws.send(frame));
      assert.ok([1007, 1008].includes(closed.code), `random frame ${i} closed with ${closed.code}`);
    }
    await stillSyncing();
  });

  test('a text frame is refused with 1003', async () => {
    const closed = await attack((raw) => raw.ws.send('hello'));
    assert.equal(closed.code, 1003);
    assert.ok(loggedClose('text_frame'));
    await stillSyncing();
  });

  test('an unknown message type is refused with 1008', async () => {
    const closed = await attack((raw) => raw.ws.send(new Uint8Array([99])));
    assert.equal(closed.code, 1008);
    assert.match(closed.reason, /unknown message type 99/);
    // messageAuth (2) is something only servers send.
    const auth = await attack((raw) => raw.ws.send(new Uint8Array([2, 0])));
    assert.equal(auth.code, 1008);
    await stillSyncing();
  });

  test('an oversized message is refused with 1009', async () => {
    const closed = await attack((raw) => raw.ws.send(syncMessage(2, new Uint8Array(1 * MiB + 1))));
    assert.equal(closed.code, 1009);
    await waitFor(() => server.logs.some((line) => line.msg === 'connection closed' && line.reason === 'too_big'), { what: 'too_big log line' });
    await stillSyncing();
  });

  test('a client flooding messages is cut off with 1008 (rate limit)', async () => {
    const closed = await attack((raw) => {
      for (let i = 0; i < 1000; i++) raw.ws.send(new Uint8Array([3]));
    });
    assert.equal(closed.code, 1008);
    assert.match(closed.reason, /rate limit exceeded: too many messages per second/);
    assert.ok(loggedClose('rate_limit'));
    await stillSyncing();
  });

  test('a client flooding bytes is cut off with 1008 (rate limit)', async () => {
    const closed = await attack((raw) => {
      for (let i = 0; i < 4; i++) raw.ws.send(awarenessMessage(7777, i + 1, JSON.stringify({ blob: 'y'.repeat(700 * KiB) })));
    });
    assert.equal(closed.code, 1008);
    assert.match(closed.reason, /too many bytes per second/);
    await stillSyncing();
  });

  test('a client that never reads is cut off once its send buffer passes the limit', async () => {
    const slowStore = 'slow-victim';
    const writer = openClient(server.url, slowStore);
    await synced(writer);
    writer.doc.getMap('data').set('bulk', 'z'.repeat(900 * KiB));
    const reader = openClient(server.url, slowStore);
    await waitFor(() => reader.doc.getMap('data').has('bulk'), { what: 'the server to hold the bulk value' });
    reader.destroy();
    const raw = await openRawSocket(`${server.url}/${slowStore}`);
    const socket = (raw.ws as unknown as { _socket: Socket })._socket;
    socket.pause();
    // Each empty state vector asks for the whole 900 KiB store.
    const askEverything = syncMessage(0, new Uint8Array([0]));
    for (let i = 0; i < 60; i++) raw.ws.send(askEverything);
    await waitFor(() => server.logs.some((line) => line.msg === 'closing connection' && line.reason === 'slow_consumer'), {
      what: 'slow consumer to be cut off',
    });
    socket.resume();
    const closed = await raw.closed;
    assert.ok([1013, 1006].includes(closed.code), `closed with ${closed.code}`);
    const text = await metrics(server);
    assert.equal(metricValue(text, 'pos_sync_connections_closed_total', '{reason="slow_consumer"}'), 1);
    writer.destroy();
    await stillSyncing();
  });

  test('every cut-off is counted by reason in /metrics', async () => {
    const text = await metrics(server);
    for (const reason of ['malformed', 'text_frame', 'unknown_type', 'too_big', 'rate_limit']) {
      assert.ok((metricValue(text, 'pos_sync_connections_closed_total', `{reason="${reason}"}`) ?? 0) >= 1, `closed connections for ${reason}`);
    }
    assert.equal(metricValue(text, 'pos_sync_storage_write_errors_total'), 0);
  });
});
