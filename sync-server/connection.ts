/**
 * One till's WebSocket: enforces the per-connection limits, decodes its
 * messages and hands them to the store's room in arrival order. Every way a
 * connection ends goes through `close`, so each gets a close code, a log
 * line and a metric.
 */
import { WebSocket, type RawData } from 'ws';
import { closeReasons, closeReasonText, type CloseReason } from './close-reasons.js';
import { ConnectionRateLimit, type LimitsConfig } from './limits.js';
import type { Logger } from './log.js';
import type { ServerMetrics } from './metrics.js';
import { decodeClientMessage, ProtocolError, type ClientMessage } from './protocol.js';
import type { Peer, Room } from './room.js';
import type { Rooms } from './rooms.js';
import { StorageUnavailableError } from './storage.js';

export interface ConnectionOptions {
  rooms: Rooms;
  metrics: ServerMetrics;
  log: Logger;
  limits: LimitsConfig;
  onEnded: (connection: Connection) => void;
}

/** How long a closing peer gets to answer the close handshake before the socket is dropped. */
const closeHandshakeMs = 3000;

let lastConnectionId = 0;

const wsErrorReasons: Record<string, CloseReason> = {
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: 'too_big',
  WS_ERR_INVALID_UTF8: 'malformed',
};

export class Connection implements Peer {
  readonly id = ++lastConnectionId;
  private readonly log: Logger;
  private readonly rate: ConnectionRateLimit;
  private room: Room | null = null;
  /** Messages that arrive while the room is still loading; null once it is ready. */
  private inbox: ClientMessage[] | null = [];
  private closeReason: CloseReason | null = null;
  private errorReason: CloseReason | null = null;
  private ended = false;
  private alive = true;
  private terminateTimer: NodeJS.Timeout | null = null;
  private readonly openedAt = performance.now();
  private bytesIn = 0;
  private bytesOut = 0;

  constructor(
    private readonly ws: WebSocket,
    readonly store: string,
    readonly till: string | null,
    remote: string | undefined,
    private readonly options: ConnectionOptions,
  ) {
    this.log = options.log.child({ store, till, conn: this.id });
    this.rate = new ConnectionRateLimit(options.limits);
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('pong', () => {
      this.alive = true;
    });
    ws.on('error', (err) => this.onError(err));
    ws.on('close', (code, reason) => this.onClose(code, reason.toString()));
    this.log.info('connection opened', { remote });
    void this.join();
  }

  send(message: Uint8Array): void {
    if (this.closeReason !== null || this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ws.bufferedAmount > this.options.limits.maxBufferedBytes) {
      this.close('slow_consumer', `${this.ws.bufferedAmount} bytes unsent`);
      return;
    }
    this.ws.send(message, { binary: true });
    this.bytesOut += message.length;
    this.options.metrics.bytesSent.inc(undefined, message.length);
  }

  close(reason: CloseReason, detail?: string): void {
    if (this.closeReason !== null || this.ended) return;
    this.closeReason = reason;
    const { code } = closeReasons[reason];
    const fields = { reason, code, detail };
    if (reason === 'shutdown' || reason === 'client_closed') this.log.info('closing connection', fields);
    else if (reason === 'internal_error') this.log.error('closing connection', fields);
    else this.log.warn('closing connection', fields);
    if (reason === 'ping_timeout') {
      this.ws.terminate();
      return;
    }
    this.ws.close(code, closeReasonText(reason, detail));
    // A peer that does not read will not complete the close handshake either.
    this.terminateTimer = setTimeout(() => this.ws.terminate(), closeHandshakeMs);
  }

  /** Called periodically: a peer that did not answer the last ping is gone. */
  heartbeat(): void {
    if (this.ended) return;
    if (!this.alive) {
      this.close('ping_timeout');
      return;
    }
    this.alive = false;
    this.ws.ping();
  }

  private async join(): Promise<void> {
    let room: Room;
    try {
      room = await this.options.rooms.join(this.store, this);
    } catch (err) {
      this.log.error('store could not be loaded', { err });
      this.close(err instanceof StorageUnavailableError ? 'storage_unavailable' : 'internal_error');
      return;
    }
    if (this.ended) {
      this.options.rooms.leave(room, this);
      return;
    }
    this.room = room;
    room.greet(this);
    const early = this.inbox ?? [];
    this.inbox = null;
    for (const message of early) {
      if (this.closeReason !== null) break;
      this.dispatch(room, message);
    }
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.closeReason !== null) return;
    this.alive = true;
    const bytes = toBytes(data);
    this.bytesIn += bytes.length;
    this.options.metrics.bytesReceived.inc(undefined, bytes.length);
    if (!isBinary) {
      this.close('text_frame');
      return;
    }
    const verdict = this.rate.admit(bytes.length);
    if (verdict !== 'ok') {
      this.close('rate_limit', verdict === 'messages' ? 'too many messages per second' : 'too many bytes per second');
      return;
    }
    let message: ClientMessage;
    try {
      message = decodeClientMessage(bytes);
    } catch (err) {
      if (err instanceof ProtocolError) this.close(err.reason, err.message);
      else {
        this.log.error('decoding a message failed unexpectedly', { err });
        this.close('internal_error');
      }
      return;
    }
    this.options.metrics.messagesReceived.inc({ type: message.kind });
    if (this.inbox !== null) this.inbox.push(message);
    else if (this.room !== null) this.dispatch(this.room, message);
  }

  private dispatch(room: Room, message: ClientMessage): void {
    try {
      switch (message.kind) {
        case 'sync-step1':
          room.answerSyncStep1(this, message.stateVector);
          break;
        case 'sync-step2':
        case 'sync-update':
          room.submitUpdate(this, message.update);
          break;
        case 'awareness':
          room.applyAwareness(this, message.update);
          break;
        case 'query-awareness':
          room.sendAwareness(this);
          break;
      }
    } catch (err) {
      this.log.error('handling a message failed', { err, kind: message.kind });
      this.close('internal_error');
    }
  }

  private onError(err: Error): void {
    const code = (err as Error & { code?: string }).code;
    this.errorReason = (code !== undefined ? wsErrorReasons[code] : undefined) ?? 'malformed';
    // ws answers protocol violations itself (e.g. 1009 for an oversized message) and then closes.
    this.log.warn('connection error', { err, reason: this.errorReason });
  }

  private onClose(code: number, reason: string): void {
    if (this.ended) return;
    this.ended = true;
    if (this.terminateTimer !== null) clearTimeout(this.terminateTimer);
    const closedFor = this.closeReason ?? this.errorReason ?? 'client_closed';
    this.options.metrics.connectionsClosed.inc({ reason: closedFor });
    this.log.info('connection closed', {
      reason: closedFor,
      code,
      peerReason: this.closeReason === null && reason !== '' ? reason : undefined,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      seconds: Math.round((performance.now() - this.openedAt) / 100) / 10,
    });
    if (this.room !== null) this.options.rooms.leave(this.room, this);
    this.options.onEnded(this);
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}
