/**
 * Command line of the sync server (`pos-sync-server`). Flags win over
 * environment variables, which win over defaults.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { issueTillToken, isValidStoreId } from './auth.js';
import { defaultLimits, type LimitsConfig } from './limits.js';
import { createLogger, isLogLevel, type Logger, type LogLevel } from './log.js';
import { startServer } from './server.js';

const usage = `pos-sync-server — Yjs sync server for the tills of a store (y-websocket protocol)

Usage:
  pos-sync-server [options]
  pos-sync-server token --store <id> --till <id> [--secret <s>] [--ttl <duration>]

Serves ws://<host>:<port>/<storeId> (one room per store), GET /healthz and GET /metrics.

Options:
  --port <n>                  port, 0 for a free one (env POS_SYNC_PORT, default 4455)
  --host <addr>               address to bind (env POS_SYNC_HOST, default 127.0.0.1;
                              use 0.0.0.0 to serve the tills of a LAN)
  --data <dir>                data directory (env POS_SYNC_DATA, default .data/sync-server)
  --secret <s>                HS256 secret for till tokens (env POS_SYNC_SECRET);
                              without one the server runs WITHOUT authentication
  --log-level <level>         debug | info | warn | error (env POS_SYNC_LOG_LEVEL, default info)
  --max-message-bytes <size>  largest accepted message (default 128MiB: a till's first upload
                              of a 100,000-customer store is one message of ~70 MB)
  --max-buffered-bytes <size> unsent bytes per client before it is cut off as not
                              reading (default 2 x max-message-bytes)
  --rate-messages <n>         messages per second per connection (default 200)
  --rate-messages-burst <n>   message burst per connection (default 2000)
  --rate-bytes <size>         bytes per second per connection (default 8MiB)
  --rate-bytes-burst <size>   byte burst per connection (default max-message-bytes)
  --room-grace-ms <ms>        keep a store without clients in memory this long (default 30000)
  --compact-after <n>         rewrite a store's updates as one after n updates (default 500)
  --no-fsync                  do not fsync each write (still safe against a crash of the
                              process, not against a power cut)
  --ping-interval-ms <ms>     ping clients, drop those that did not answer (default 30000)
  --help                      this text
  --version                   print the version

Token options:
  --store <id>                store the till belongs to
  --till <id>                 till id
  --secret <s>                as above (env POS_SYNC_SECRET)
  --ttl <duration>            lifetime: 3600, 90s, 30m, 12h, 7d (default 12h)

Sizes accept a number of bytes or a suffix: k/KiB, m/MiB, g/GiB (powers of 1024).
`;

class UsageError extends Error {}

const serverOptionSpec = {
  port: { type: 'string' },
  host: { type: 'string' },
  data: { type: 'string' },
  secret: { type: 'string' },
  'log-level': { type: 'string' },
  'max-message-bytes': { type: 'string' },
  'max-buffered-bytes': { type: 'string' },
  'rate-messages': { type: 'string' },
  'rate-messages-burst': { type: 'string' },
  'rate-bytes': { type: 'string' },
  'rate-bytes-burst': { type: 'string' },
  'room-grace-ms': { type: 'string' },
  'compact-after': { type: 'string' },
  'no-fsync': { type: 'boolean' },
  'ping-interval-ms': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

const tokenOptionSpec = {
  store: { type: 'string' },
  till: { type: 'string' },
  secret: { type: 'string' },
  ttl: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseSize(value: string, flag: string): number {
  const match = /^(\d+)\s*(k|kb|kib|m|mb|mib|g|gb|gib)?$/i.exec(value.trim());
  if (match === null) throw new UsageError(`${flag}: expected a size like 1048576, 512KiB or 64MiB, got "${value}"`);
  const unit = (match[2] ?? '').toLowerCase();
  const factor = unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 ** 2 : unit.startsWith('g') ? 1024 ** 3 : 1;
  const size = Number(match[1]) * factor;
  if (size <= 0) throw new UsageError(`${flag} must be positive`);
  return size;
}

export function parseDurationSeconds(value: string, flag: string): number {
  const match = /^(\d+)\s*(s|m|h|d)?$/.exec(value.trim());
  if (match === null) throw new UsageError(`${flag}: expected a duration like 3600, 30m, 12h or 7d, got "${value}"`);
  const factor = { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as 's' | 'm' | 'h' | 'd'] ?? 1;
  const seconds = Number(match[1]) * factor;
  if (seconds <= 0) throw new UsageError(`${flag} must be positive`);
  return seconds;
}

function parseCount(value: string, flag: string, { min = 1 } = {}): number {
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`${flag}: expected a whole number, got "${value}"`);
  const n = Number(value);
  if (n < min) throw new UsageError(`${flag} must be at least ${min}`);
  return n;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

async function runToken(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: tokenOptionSpec, strict: true, allowPositionals: false });
  if (values.help === true) {
    process.stdout.write(usage);
    return 0;
  }
  const secret = nonEmpty(values.secret) ?? nonEmpty(process.env.POS_SYNC_SECRET);
  if (secret === undefined) throw new UsageError('token: --secret or POS_SYNC_SECRET is required');
  const store = values.store;
  const till = values.till;
  if (store === undefined || !isValidStoreId(store)) throw new UsageError('token: --store must match ^[A-Za-z0-9_-]{1,64}$');
  if (till === undefined || !isValidStoreId(till)) throw new UsageError('token: --till must match ^[A-Za-z0-9_-]{1,64}$');
  const ttlSeconds = parseDurationSeconds(values.ttl ?? '12h', '--ttl');
  process.stdout.write((await issueTillToken({ secret, store, till, ttlSeconds })) + '\n');
  return 0;
}

async function runServer(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: serverOptionSpec, strict: true, allowPositionals: false });
  if (values.help === true) {
    process.stdout.write(usage);
    return 0;
  }
  if (values.version === true) {
    process.stdout.write(version() + '\n');
    return 0;
  }
  const env = process.env;
  const levelName = values['log-level'] ?? nonEmpty(env.POS_SYNC_LOG_LEVEL) ?? 'info';
  if (!isLogLevel(levelName)) throw new UsageError(`--log-level must be debug, info, warn or error, got "${levelName}"`);
  const level: LogLevel = levelName;
  const log = createLogger(level);

  const portText = values.port ?? nonEmpty(env.POS_SYNC_PORT) ?? '4455';
  const port = parseCount(portText, '--port', { min: 0 });
  if (port > 65535) throw new UsageError('--port must be at most 65535');
  const maxMessageBytes = values['max-message-bytes'] === undefined ? undefined : parseSize(values['max-message-bytes'], '--max-message-bytes');
  const limits: LimitsConfig = defaultLimits(maxMessageBytes);
  if (values['max-buffered-bytes'] !== undefined) limits.maxBufferedBytes = parseSize(values['max-buffered-bytes'], '--max-buffered-bytes');
  if (values['rate-messages'] !== undefined) limits.messagesPerSecond = parseCount(values['rate-messages'], '--rate-messages');
  if (values['rate-messages-burst'] !== undefined) limits.messagesBurst = parseCount(values['rate-messages-burst'], '--rate-messages-burst');
  if (values['rate-bytes'] !== undefined) limits.bytesPerSecond = parseSize(values['rate-bytes'], '--rate-bytes');
  if (values['rate-bytes-burst'] !== undefined) limits.bytesBurst = parseSize(values['rate-bytes-burst'], '--rate-bytes-burst');

  const server = await startServer({
    port,
    host: values.host ?? nonEmpty(env.POS_SYNC_HOST) ?? '127.0.0.1',
    dataDir: values.data ?? nonEmpty(env.POS_SYNC_DATA) ?? '.data/sync-server',
    secret: nonEmpty(values.secret) ?? nonEmpty(env.POS_SYNC_SECRET) ?? null,
    limits,
    roomGraceMs: values['room-grace-ms'] === undefined ? undefined : parseCount(values['room-grace-ms'], '--room-grace-ms', { min: 0 }),
    compactAfter: values['compact-after'] === undefined ? undefined : parseCount(values['compact-after'], '--compact-after'),
    fsync: values['no-fsync'] !== true,
    pingIntervalMs: values['ping-interval-ms'] === undefined ? undefined : parseCount(values['ping-interval-ms'], '--ping-interval-ms', { min: 100 }),
    log,
  });
  installShutdown(server, log);
  return -1;
}

/** Shutdown waits for storage; a hung disk must not keep the process forever. */
const shutdownTimeoutMs = 20_000;

function installShutdown(server: { close(): Promise<void> }, log: Logger): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn('already shutting down', { signal });
      return;
    }
    stopping = true;
    log.info('shutting down', { signal });
    setTimeout(() => {
      log.error('shutdown timed out; exiting', { timeoutMs: shutdownTimeoutMs });
      process.exit(1);
    }, shutdownTimeoutMs).unref();
    server.close().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        log.error('shutdown failed', { err });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('unhandledRejection', (err) => log.error('unhandled promise rejection', { err }));
  process.on('uncaughtException', (err) => {
    // State may be inconsistent; every relayed update is on disk, so exiting loses nothing.
    log.error('uncaught exception; exiting', { err });
    process.exit(1);
  });
}

/** Returns the exit code, or -1 while the server keeps running. */
export async function main(argv: string[]): Promise<number> {
  try {
    const code = argv[0] === 'token' ? await runToken(argv.slice(1)) : await runServer(argv);
    if (code >= 0) process.exitCode = code;
    return code;
  } catch (err) {
    const isUsage = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true;
    if (isUsage) {
      process.stderr.write(`pos-sync-server: ${(err as Error).message}\nRun pos-sync-server --help for usage.\n`);
      process.exitCode = 2;
      return 2;
    }
    createLogger('error').error('failed to start', { err });
    process.exitCode = 1;
    return 1;
  }
}
