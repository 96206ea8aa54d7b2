/**
 * Sustained updates per second through one server process. Each of `rooms` stores has one writer
 * and one observer, both bare sockets (no Y.Doc on the receiving side, so the load generator stays
 * cheaper than the server it loads). A writer keeps at most `window` updates unacknowledged, an
 * update counting as acknowledged once the observer of its store received it from the server: the
 * writers go exactly as fast as the server stores and relays.
 */
import * as Y from 'yjs';
import { frameUpdate, openRawSocket, relayedUpdateOrigin, waitUntil, type RawSocket } from './clients.js';
import type { RunningServer } from './servers.js';

export interface ThroughputOptions {
  rooms: number;
  window: number;
  warmupMs: number;
  measureMs: number;
}

export interface ThroughputResult {
  /** Updates the server received, stored (as it does) and relayed to the observer, per second. */
  updatesPerSecond: number;
  /** Messages of any kind the server sent to all sockets, per second (relays, echoes, acks). */
  messagesOutPerSecond: number;
  /** Server process CPU time / wall time (1 = one core busy; LevelDB threads can push it past 1). */
  serverCpu: number;
  /** Benchmark process CPU time / wall time: near 1 means the load generator, not the server, was the limit. */
  clientCpu: number;
}

interface Writer {
  doc: Y.Doc;
  map: Y.Map<string>;
  socket: RawSocket;
  room: string;
  sent: number;
  acked: number;
  last: Uint8Array | null;
}

/** ~100 bytes as a Yjs update: one short customer note. */
const payload = 'Prefers the window seat; pays by card; loyalty card at the front desk.';

export async function measureThroughput(server: RunningServer, options: ThroughputOptions): Promise<ThroughputResult> {
  const protocol = server.spec.protocol;
  const writers: Writer[] = [];
  const sockets: RawSocket[] = [];
  let messagesIn = 0;
  let stopping = false;
  const byClient = new Map<number, Writer>();

  const pump = (writer: Writer): void => {
    while (!stopping && writer.sent - writer.acked < options.window) {
      writer.map.set(`k${writer.sent % 64}`, payload);
      const update = writer.last;
      if (update === null) throw new Error('no update emitted');
      writer.last = null;
      writer.socket.send(frameUpdate(protocol, writer.room, update));
      writer.sent++;
    }
  };

  try {
    for (let r = 0; r < options.rooms; r++) {
      const room = `throughput-${r}`;
      const doc = new Y.Doc();
      const observer = await openRawSocket(server, room, (data) => {
        messagesIn++;
        const origin = relayedUpdateOrigin(protocol, data);
        if (origin === null) return;
        const writer = byClient.get(origin.client);
        if (writer === undefined) return;
        writer.acked++;
        pump(writer);
      });
      sockets.push(observer);
      const socket = await openRawSocket(server, room, () => {
        messagesIn++;
      });
      sockets.push(socket);
      const writer: Writer = { doc, map: doc.getMap('bench'), socket, room, sent: 0, acked: 0, last: null };
      doc.on('update', (update: Uint8Array) => {
        writer.last = update;
      });
      byClient.set(doc.clientID, writer);
      writers.push(writer);
    }

    for (const writer of writers) pump(writer);
    await new Promise((resolve) => setTimeout(resolve, options.warmupMs));
    const ackedBefore = writers.reduce((sum, w) => sum + w.acked, 0);
    const messagesBefore = messagesIn;
    const serverCpuBefore = server.cpuMs();
    const clientCpuBefore = process.cpuUsage();
    const t0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, options.measureMs));
    const elapsed = performance.now() - t0;
    const ackedAfter = writers.reduce((sum, w) => sum + w.acked, 0);
    const messagesAfter = messagesIn;
    const serverCpu = (server.cpuMs() - serverCpuBefore) / elapsed;
    const clientUsage = process.cpuUsage(clientCpuBefore);
    stopping = true;
    // Let what is in flight arrive, so the next measurement does not start on a busy server.
    await waitUntil(() => writers.every((w) => w.acked >= w.sent), 10_000, 'in-flight updates to be relayed').catch(() => {});
    if (ackedAfter === ackedBefore) throw new Error(`${server.spec.label}: no update was relayed during the measurement:\n${server.tail()}`);
    return {
      updatesPerSecond: ((ackedAfter - ackedBefore) * 1000) / elapsed,
      messagesOutPerSecond: ((messagesAfter - messagesBefore) * 1000) / elapsed,
      serverCpu,
      clientCpu: (clientUsage.user + clientUsage.system) / 1000 / elapsed,
    };
  } finally {
    stopping = true;
    for (const socket of sockets) socket.close();
    for (const writer of writers) writer.doc.destroy();
  }
}
