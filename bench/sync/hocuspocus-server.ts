/**
 * Hocuspocus 3 as a standalone process for bench/sync.ts.
 *
 * Usage: node --import tsx bench/sync/hocuspocus-server.ts [--sqlite <file>]
 * Prints one JSON line `{"msg":"listening","port":N}` on stdout once it accepts connections.
 *
 * Hocuspocus' own `Server.listen` passes `{ address }` to `http.Server.listen`, which only knows
 * `host`, so it would bind every interface; the benchmark must stay on 127.0.0.1, hence our own
 * HTTP server in front of the `Hocuspocus` instance (the same wiring `Server` does).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { SQLite } from '@hocuspocus/extension-sqlite';
import { Hocuspocus, type Extension } from '@hocuspocus/server';
import { WebSocketServer } from 'ws';

const { values } = parseArgs({ options: { sqlite: { type: 'string' } }, strict: true });
const extensions: Extension[] = values.sqlite === undefined ? [] : [new SQLite({ database: values.sqlite })];

// Defaults otherwise (debounce 2 s, maxDebounce 10 s, unloadImmediately): the configuration a
// Hocuspocus user gets out of the box is the one being compared.
const hocuspocus = new Hocuspocus({ quiet: true, extensions });
const wss = new WebSocketServer({ noServer: true });
const http = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ok');
});
http.on('upgrade', (request, socket, head) => {
  socket.on('error', () => {});
  wss.handleUpgrade(request, socket, head, (ws) => {
    // Without a listener, a reset socket would crash the process (Hocuspocus' Server adds one too).
    ws.on('error', () => {});
    hocuspocus.handleConnection(ws, request);
  });
});

await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
const { port } = http.address() as AddressInfo;
process.stdout.write(JSON.stringify({ msg: 'listening', port, persistence: values.sqlite === undefined ? 'none' : 'sqlite' }) + '\n');

const stop = (): void => {
  // Stores debounced documents before exiting, as Hocuspocus' Server does on a signal.
  hocuspocus.closeConnections();
  setTimeout(() => process.exit(0), 500).unref();
  http.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
