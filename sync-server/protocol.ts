/**
 * The y-websocket wire format (as spoken by the stock WebsocketProvider):
 * `varUint messageType` followed by the payload of that type. Sync payloads
 * are y-protocols/sync messages, awareness payloads y-protocols/awareness
 * updates.
 *
 * Everything a client sends is fully decoded and validated here, before the
 * server stores or applies any of it: a half-applied malformed message could
 * otherwise end up on disk and break the store on every later load.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

export const messageSync = 0;
export const messageAwareness = 1;
export const messageAuth = 2;
export const messageQueryAwareness = 3;

export const syncStep1 = 0;
export const syncStep2 = 1;
export const syncUpdate = 2;

export type ClientMessage =
  | { kind: 'sync-step1'; stateVector: Uint8Array }
  | { kind: 'sync-step2'; update: Uint8Array }
  | { kind: 'sync-update'; update: Uint8Array }
  | { kind: 'awareness'; update: Uint8Array }
  | { kind: 'query-awareness' };

export class ProtocolError extends Error {
  constructor(
    readonly reason: 'malformed' | 'unknown_type',
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}

const emptyStateVector = new Uint8Array([0]);

/**
 * Decodes one client message. Payloads are copied out of the socket buffer,
 * because they outlive it in the write queue and in the document.
 */
export function decodeClientMessage(data: Uint8Array): ClientMessage {
  const decoder = decoding.createDecoder(data);
  const message = readMessage(decoder);
  if (decoding.hasContent(decoder)) {
    throw new ProtocolError('malformed', 'trailing bytes after message');
  }
  return message;
}

function readMessage(decoder: decoding.Decoder): ClientMessage {
  const type = guard(() => decoding.readVarUint(decoder), 'message type');
  switch (type) {
    case messageSync: {
      const subtype = guard(() => decoding.readVarUint(decoder), 'sync message type');
      const payload = guard(() => decoding.readVarUint8Array(decoder), 'sync payload').slice();
      switch (subtype) {
        case syncStep1:
          validateStateVector(payload);
          return { kind: 'sync-step1', stateVector: payload };
        case syncStep2:
          validateUpdate(payload);
          return { kind: 'sync-step2', update: payload };
        case syncUpdate:
          validateUpdate(payload);
          return { kind: 'sync-update', update: payload };
        default:
          throw new ProtocolError('malformed', `unknown sync message type ${subtype}`);
      }
    }
    case messageAwareness: {
      const payload = guard(() => decoding.readVarUint8Array(decoder), 'awareness payload').slice();
      validateAwarenessUpdate(payload);
      return { kind: 'awareness', update: payload };
    }
    case messageQueryAwareness:
      return { kind: 'query-awareness' };
    default:
      throw new ProtocolError('unknown_type', `unknown message type ${type}`);
  }
}

function guard<T>(read: () => T, what: string): T {
  try {
    return read();
  } catch (err) {
    throw new ProtocolError('malformed', `cannot decode ${what}: ${(err as Error).message}`);
  }
}

function validateStateVector(stateVector: Uint8Array): void {
  guard(() => {
    const decoder = decoding.createDecoder(stateVector);
    const clients = decoding.readVarUint(decoder);
    for (let i = 0; i < clients; i++) {
      decoding.readVarUint(decoder);
      decoding.readVarUint(decoder);
    }
    if (decoding.hasContent(decoder)) throw new Error('trailing bytes');
  }, 'state vector');
}

/**
 * Decodes every struct, every content and the delete set without touching a
 * document. diffUpdate against the empty state vector streams through the
 * whole update (unlike decodeUpdate it does not materialize all structs at
 * once, which matters for the multi-megabyte first upload of a store).
 */
export function validateUpdate(update: Uint8Array): void {
  guard(() => Y.diffUpdate(update, emptyStateVector), 'Yjs update');
}

function validateAwarenessUpdate(update: Uint8Array): void {
  guard(() => {
    const decoder = decoding.createDecoder(update);
    const entries = decoding.readVarUint(decoder);
    for (let i = 0; i < entries; i++) {
      decoding.readVarUint(decoder); // client id
      decoding.readVarUint(decoder); // clock
      JSON.parse(decoding.readVarString(decoder));
    }
    if (decoding.hasContent(decoder)) throw new Error('trailing bytes');
  }, 'awareness update');
}

/** An update that carries nothing: what a till with no news replies as sync step 2. */
export function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0;
}

/**
 * Frames a payload behind its headers with a single copy: first syncs can be
 * tens of megabytes, and the lib0 encoder would copy them twice.
 */
function frame(headers: number[], payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  for (const header of headers) encoding.writeVarUint(encoder, header);
  encoding.writeVarUint(encoder, payload.length);
  const head = encoding.toUint8Array(encoder);
  const out = new Uint8Array(head.length + payload.length);
  out.set(head, 0);
  out.set(payload, head.length);
  return out;
}

export const encodeSyncStep1 = (stateVector: Uint8Array): Uint8Array => frame([messageSync, syncStep1], stateVector);
export const encodeSyncStep2 = (update: Uint8Array): Uint8Array => frame([messageSync, syncStep2], update);
export const encodeSyncUpdate = (update: Uint8Array): Uint8Array => frame([messageSync, syncUpdate], update);
export const encodeAwareness = (update: Uint8Array): Uint8Array => frame([messageAwareness], update);
