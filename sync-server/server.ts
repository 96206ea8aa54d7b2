/**
 * The HTTP side of the sync server: `/healthz`, `/metrics`, and the WebSocket
 * upgrade at `/<storeId>`, where tills are authenticated before they reach a
 * room. Also owns the orderly shutdown.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { isValidStoreId, secretKey, verifyTillToken } from './auth.js';
import { closeReasons, closeReasonText, type CloseReason } from './close-reasons.js';
import { Connection } from './connection.js';
import { defaultLimits, type LimitsConfig } from './limits.js';
import { createLogger, type Logger } from './log.js';
import { ServerMetrics } from './metrics.js';
import { Rooms } from './rooms.js';
import { Storage } from './storage.js';

export interface ServerOptions {
  /** 0 picks a free port; the chosen one is in the result and in the `listening` log line. */
  port: number;
  host: string;
  dataDir: string;
  /** Shared HS256 secret for till tokens; null runs the server without authentication. */
  secret: string | null;
  limits: LimitsConfig;
  /** How long a store without tills stays in memory. */
  roomGraceMs: number;
  /** Incremental updates after which a store's updates are rewritten as one. */
  compactAfter: number;
  fsync: boolean;
  pingIntervalMs: number;
  log: Logger;
}

export interface RunningServer {
  readonly port: number;
  readonly host: string;
  /** Base URL for WebsocketProvider: `new WebsocketProvider(url, storeId, doc)`. */
  readonly url: string;
  /** Stops accepting, stores everything received, closes tills with 1001. */
  close(): Promise<void>;
}

export function resolveServerOptions(options: Partial<ServerOptions> & { dataDir: string }): ServerOptions {
  return {
    port: options.port ?? 4455,
    host: options.host ?? '127.0.0.1',
    dataDir: options.dataDir,
    secret: options.secret ?? null,
    limits: options.limits ?? defaultLimits(),
    roomGraceMs: options.roomGraceMs ?? 30_000,
    compactAfter: options.compactAfter ?? 500,
    fsync: options.fsync ?? true,
    pingIntervalMs: options.pingIntervalMs ?? 30_000,
    log: options.log ?? createLogger('info'),
  };
}

const shutdownDrainMs = 3000;

export async function startServer(partial: Partial<ServerOptions> & { dataDir: string }): Promise<RunningServer> {
  const options = resolveServerOptions(partial);
  const { log, limits } = options;
  const startedAt = Date.now();
  const connections = new Set<Connection>();
  let shuttingDown = false;

  // Assigned right below; the gauges read them lazily.
  let storage: Storage | null = null;
  let rooms: Rooms | null = null;
  const metrics = new ServerMetrics({
    rooms: () => rooms?.count ?? 0,
    connections: () => connections.size,
    storageReady: () => (storage?.healthy === true ? 1 : 0),
    storageBytes: () => storage?.sizeBytes ?? 0,
  });
  const openedStorage = await Storage.open({
    dir: options.dataDir,
    fsync: options.fsync,
    log: log.child({ component: 'storage' }),
    onWriteError: () => metrics.storageWriteErrors.inc(),
  });
  storage = openedStorage;
  const openRooms = new Rooms({
    storage: openedStorage,
    metrics,
    log,
    compactAfter: options.compactAfter,
    graceMs: options.roomGraceMs,
  });
  rooms = openRooms;

  if (options.secret === null) {
    log.warn('AUTHENTICATION DISABLED: no --secret or POS_SYNC_SECRET given; any client can read and write every store');
  } else if (Buffer.byteLength(options.secret) < 32) {
    log.warn('the token secret is shorter than 32 bytes; use a long random secret');
  }
  const key = options.secret === null ? null : secretKey(options.secret);

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.maxMessageBytes,
    perMessageDeflate: false,
  });

  const health = () => {
    const storageOk = openedStorage.healthy;
    const ready = storageOk && !shuttingDown;
    return {
      status: ready ? 200 : 503,
      body: {
        live: true,
        ready,
        storage: { ok: storageOk, error: openedStorage.lastError },
        shuttingDown,
        rooms: openRooms.count,
        connections: connections.size,
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      },
    };
  };

  const handleRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const method = req.method ?? 'GET';
    if (path === '/healthz' && (method === 'GET' || method === 'HEAD')) {
      const { status, body } = health();
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(method === 'HEAD' ? undefined : JSON.stringify(body));
      return;
    }
    if (path === '/metrics' && method === 'GET') {
      await openedStorage.refreshSize();
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' });
      res.end(metrics.render());
      return;
    }
    const isStorePath = isValidStoreId(path.slice(1));
    res.writeHead(isStorePath ? 426 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: isStorePath ? 'WebSocket upgrade required' : 'not found' }));
  };

  const refuse = (ws: WebSocket, reason: CloseReason, detail: string, fields: Record<string, unknown>): void => {
    const { code } = closeReasons[reason];
    if (reason === 'unauthorized' || reason === 'forbidden') metrics.authFailures.inc({ reason });
    metrics.connectionsClosed.inc({ reason });
    log.warn('connection refused', { reason, code, detail, ...fields });
    ws.close(code, closeReasonText(reason, detail));
  };

  const handleUpgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    // Until ws takes over, a reset socket would otherwise raise an unhandled error.
    socket.on('error', () => {});
    if (shuttingDown) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const store = url.pathname.slice(1);
    const remote = req.socket.remoteAddress;
    let refusal: { reason: CloseReason; detail: string } | null = null;
    let till: string | null = null;
    if (!isValidStoreId(store)) {
      refusal = { reason: 'invalid_store', detail: 'store id must match ^[A-Za-z0-9_-]{1,64}$' };
    } else if (key !== null) {
      const result = await verifyTillToken(url.searchParams.get('token'), store, key);
      if (result.ok) till = result.claims.till;
      else refusal = { reason: result.reason, detail: result.detail };
    }
    // Refusals complete the upgrade and then close with a 44xx code: browsers
    // hide HTTP status codes from WebSocket clients, and the provider stops
    // retrying on 44xx instead of hammering the server with a bad token.
    wss.handleUpgrade(req, socket, head, (ws) => {
      const fields = { store: store.slice(0, 80), remote };
      if (refusal !== null) {
        refuse(ws, refusal.reason, refusal.detail, fields);
        return;
      }
      if (shuttingDown) {
        ws.close(closeReasons.shutdown.code, closeReasonText('shutdown'));
        return;
      }
      metrics.connectionsAccepted.inc();
      const connection = new Connection(ws, store, till, remote, {
        rooms: openRooms,
        metrics,
        log,
        limits,
        onEnded: (ended) => connections.delete(ended),
      });
      connections.add(connection);
    });
  };

  const httpServer = createServer((req, res) => {
    handleRequest(req, res).catch((err: unknown) => {
      log.error('http request failed', { err, path: req.url?.split('?')[0] });
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    handleUpgrade(req, socket, head).catch((err: unknown) => {
      log.error('websocket upgrade failed', { err });
      socket.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const address = httpServer.address() as AddressInfo;
  const port = address.port;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `ws://${hostForUrl}:${port}`;
  log.info('listening', {
    port,
    host: address.address,
    url,
    dataDir: options.dataDir,
    auth: key !== null,
    fsync: options.fsync,
    maxMessageBytes: limits.maxMessageBytes,
  });

  const pingTimer = setInterval(() => {
    for (const connection of connections) connection.heartbeat();
  }, options.pingIntervalMs);

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      shuttingDown = true;
      clearInterval(pingTimer);
      const httpClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      for (const connection of connections) connection.close('shutdown');
      // Everything received before the close is stored before storage closes.
      await openRooms.closeAll();
      await openedStorage.close();
      await waitUntil(() => connections.size === 0, shutdownDrainMs);
      wss.close();
      httpServer.closeAllConnections();
      await httpClosed;
      log.info('server closed');
    })();
    return closing;
  };

  return { port, host: address.address, url, close };
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
