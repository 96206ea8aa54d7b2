/**
 * The server's own share of edit-to-visible latency: one bare socket sends an update, another in
 * the same store receives the relay; one update at a time, with no Y.Doc or CustomerStore on the
 * receiving side, so nearly all of the round trip is the server (and two loopback hops).
 */
import * as Y from 'yjs';
import { frameUpdate, openRawSocket, relayedUpdateOrigin, type RawSocket } from './clients.js';
import type { RunningServer } from './servers.js';

export interface RelayOptions {
  warmup: number;
  updates: number;
  gapMs: number;
  timeoutMs: number;
}

export async function measureRelay(server: RunningServer, options: RelayOptions): Promise<number[]> {
  const protocol = server.spec.protocol;
  const room = 'relay';
  const sockets: RawSocket[] = [];
  const doc = new Y.Doc();
  let arrived: (() => void) | null = null;
  try {
    sockets.push(
      await openRawSocket(server, room, (data) => {
        if (relayedUpdateOrigin(protocol, data)?.client === doc.clientID) arrived?.();
      }),
    );
    const sender = await openRawSocket(server, room, () => {});
    sockets.push(sender);
    let update: Uint8Array | null = null;
    doc.on('update', (u: Uint8Array) => {
      update = u;
    });
    const samples: number[] = [];
    for (let i = 0; i < options.warmup + options.updates; i++) {
      doc.getMap('notes').set(`k${i % 16}`, `Relay probe ${i}: a short customer note.`);
      const message = update === null ? null : frameUpdate(protocol, room, update);
      if (message === null) throw new Error('no update emitted');
      let timer: NodeJS.Timeout | undefined;
      const relayed = new Promise<boolean>((resolve) => {
        arrived = () => resolve(true);
        timer = setTimeout(() => resolve(false), options.timeoutMs);
      });
      const t0 = performance.now();
      sender.send(message);
      const ok = await relayed;
      const elapsed = performance.now() - t0;
      clearTimeout(timer);
      arrived = null;
      if (!ok) throw new Error(`relay probe ${i} not relayed within ${options.timeoutMs} ms`);
      if (i >= options.warmup) samples.push(elapsed);
      await new Promise((resolve) => setTimeout(resolve, options.gapMs));
    }
    return samples;
  } finally {
    for (const socket of sockets) socket.close();
    doc.destroy();
  }
}
