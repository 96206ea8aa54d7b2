/**
 * Clients for bench/sync.ts: full tills (a provider syncing a Y.Doc, as the app runs them) and bare
 * sockets that speak just enough of each wire protocol to load a server without a Y.Doc per socket.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket, type RawData } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import type { Protocol, RunningServer } from './servers.js';

// Each provider adds an 'exit' listener; the memory run opens a thousand.
process.setMaxListeners(0);

export interface Till {
  readonly doc: Y.Doc;
  /** True once the first sync with the server completed. */
  isSynced(): boolean;
  destroy(): void;
}

/** A till as the app runs one: y-websocket 3's provider, or Hocuspocus' own provider for Hocuspocus. */
export function openTill(server: RunningServer, room: string, doc: Y.Doc): Till {
  if (server.spec.protocol === 'hocuspocus') {
    // One socket per till, as without multiplexing; built explicitly because only the socket's
    // configuration takes the Node WebSocket class.
    const socket = new HocuspocusProviderWebsocket({ url: server.url, WebSocketPolyfill: WebSocket });
    const provider = new HocuspocusProvider({ websocketProvider: socket, name: room, document: doc });
    provider.attach();
    return {
      doc,
      isSynced: () => provider.isSynced,
      destroy: () => {
        provider.destroy();
        socket.destroy();
        doc.destroy();
      },
    };
  }
  const provider = new WebsocketProvider(server.url, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    // Node has a global BroadcastChannel: providers in one process would otherwise sync with each
    // other and bypass the server being measured.
    disableBc: true,
  });
  return {
    doc,
    isSynced: () => provider.synced,
    destroy: () => {
      provider.destroy();
      // The provider's Awareness keeps an interval until its document is destroyed.
      doc.destroy();
    },
  };
}

export async function waitUntil(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// ── bare sockets ─────────────────────────────────────────────────────────────

const messageSync = 0;
const syncStep1 = 0;
const syncStep2 = 1;
const syncUpdate = 2;
const hocuspocusAuth = 2;
const hocuspocusAuthToken = 0;

/** A sync-update message carrying `update`, framed for the protocol. */
export function frameUpdate(protocol: Protocol, room: string, update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  if (protocol === 'hocuspocus') encoding.writeVarString(encoder, room);
  encoding.writeVarUint(encoder, messageSync);
  encoding.writeVarUint(encoder, syncUpdate);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/**
 * The Yjs client id and clock of the first struct of a relayed update, or null for any other
 * message (sync steps, awareness, Hocuspocus' auth and sync-status replies). Reading four varints
 * instead of applying the update keeps the counting client cheap.
 */
export function relayedUpdateOrigin(protocol: Protocol, data: Uint8Array): { client: number; clock: number } | null {
  const decoder = decoding.createDecoder(data);
  if (protocol === 'hocuspocus') decoding.readVarString(decoder);
  if (decoding.readVarUint(decoder) !== messageSync) return null;
  if (decoding.readVarUint(decoder) !== syncUpdate) return null;
  const update = decoding.readVarUint8Array(decoder);
  const inner = decoding.createDecoder(update);
  if (decoding.readVarUint(inner) === 0) return null;
  decoding.readVarUint(inner); // number of structs of the first client
  const client = decoding.readVarUint(inner);
  const clock = decoding.readVarUint(inner);
  return { client, clock };
}

export interface RawSocket {
  send(message: Uint8Array): void;
  close(): void;
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

function isSyncStep2(protocol: Protocol, data: Uint8Array): boolean {
  const decoder = decoding.createDecoder(data);
  if (protocol === 'hocuspocus') decoding.readVarString(decoder);
  return decoding.readVarUint(decoder) === messageSync && decoding.readVarUint(decoder) === syncStep2;
}

/**
 * A socket joined to `room`, resolved once the server answered its sync step 1: from then on the
 * server relays the room's updates to it, so nothing a writer sends afterwards can be missed. For
 * Hocuspocus it first authenticates (with an empty token, which a server without an
 * onAuthenticate hook accepts), since Hocuspocus queues a document's messages until then.
 */
export async function openRawSocket(server: RunningServer, room: string, onMessage: (data: Uint8Array) => void): Promise<RawSocket> {
  const protocol = server.spec.protocol;
  const ws = new WebSocket(protocol === 'hocuspocus' ? server.url : `${server.url}/${room}`);
  ws.binaryType = 'nodebuffer';
  let answered: () => void = () => {};
  const joined = new Promise<void>((resolve) => {
    answered = resolve;
  });
  let isJoined = false;
  ws.on('message', (raw) => {
    const data = toBytes(raw);
    if (!isJoined && isSyncStep2(protocol, data)) {
      isJoined = true;
      answered();
    }
    onMessage(data);
  });
  ws.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('close', (code) => reject(new Error(`socket closed before open: ${code}`)));
  });
  if (protocol === 'hocuspocus') {
    const encoder = encoding.createEncoder();
    encoding.writeVarString(encoder, room);
    encoding.writeVarUint(encoder, hocuspocusAuth);
    encoding.writeVarUint(encoder, hocuspocusAuthToken);
    encoding.writeVarString(encoder, '');
    ws.send(encoding.toUint8Array(encoder));
  }
  const step1 = encoding.createEncoder();
  if (protocol === 'hocuspocus') encoding.writeVarString(step1, room);
  encoding.writeVarUint(step1, messageSync);
  encoding.writeVarUint(step1, syncStep1);
  // The state vector of an empty document: a count of zero clients.
  encoding.writeVarUint8Array(step1, new Uint8Array([0]));
  ws.send(encoding.toUint8Array(step1));
  const timeout = setTimeout(() => ws.terminate(), 10_000);
  try {
    await Promise.race([
      joined,
      new Promise<never>((_, reject) => ws.once('close', (code) => reject(new Error(`socket to ${room} closed before its sync step 2: ${code}`)))),
    ]);
  } finally {
    clearTimeout(timeout);
  }
  return {
    send: (message) => ws.send(message),
    close: () => ws.terminate(),
  };
}
