/**
 * Test harness for the sync server: runs the real CLI process, reads its JSON
 * log lines, and connects stock y-websocket providers (with `ws`) to it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { WebSocket } from 'ws';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const binPath = join(repoRoot, 'sync-server/bin/pos-sync-server.js');

export type LogLine = Record<string, unknown> & { level: string; msg: string; time: string };

export interface ServerProcess {
  readonly port: number;
  /** ws:// base URL for WebsocketProvider. */
  readonly url: string;
  readonly httpUrl: string;
  readonly dataDir: string;
  readonly child: ChildProcess;
  readonly logs: LogLine[];
  /** Non-JSON output; the server should never produce any. */
  readonly rawOutput: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcess>();
/** POS_SYNC_TEST_LOGS=1 echoes the servers' log lines, for debugging a failing test. */
const echoLogs = process.env.POS_SYNC_TEST_LOGS === '1';
// Every WebsocketProvider adds a process 'exit' listener; tests open more than ten.
process.setMaxListeners(100);

/** Kills whatever a failed test left running; register with `after(killAll)`. */
export async function killAll(): Promise<void> {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

export interface StartOptions {
  dataDir: string;
  args?: string[];
  env?: Record<string, string>;
  port?: number;
}

export async function startServer({ dataDir, args = [], env = {}, port = 0 }: StartOptions): Promise<ServerProcess> {
  const child = spawn(process.execPath, [binPath, '--port', String(port), '--host', '127.0.0.1', '--data', dataDir, ...args], {
    cwd: repoRoot,
    env: { ...process.env, POS_SYNC_SECRET: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const logs: LogLine[] = [];
  const rawOutput: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  const streamsDone: Array<Promise<void>> = [];
  for (const stream of [child.stdout, child.stderr]) {
    if (stream === null) continue;
    const lines = createInterface({ input: stream });
    streamsDone.push(new Promise((resolve) => lines.once('close', resolve)));
    lines.on('line', (line) => {
      if (echoLogs) process.stderr.write(`[server ${child.pid}] ${line}\n`);
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        rawOutput.push(line);
      }
    });
  }
  const listening = await waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${JSON.stringify(logs.slice(-5))} ${rawOutput.join('\n')}`);
      return logs.find((line) => line.msg === 'listening');
    },
    { timeoutMs: 15_000, what: 'server to listen' },
  );
  const actualPort = listening.port as number;
  const server: ServerProcess = {
    port: actualPort,
    url: `ws://127.0.0.1:${actualPort}`,
    httpUrl: `http://127.0.0.1:${actualPort}`,
    dataDir,
    child,
    logs,
    rawOutput,
    exited: exited.then(async (result) => {
      await Promise.all(streamsDone);
      return result;
    }),
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return server.exited;
    },
  };
  return server;
}

export async function tempDir(prefix = 'pos-sync-test-'): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  what?: string;
}

/** Polls until `check` returns something other than undefined/false. */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  { timeoutMs = 10_000, intervalMs = 20, what = 'condition' }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
      if (err instanceof Error && err.message.startsWith('server exited')) throw err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError === undefined ? '' : `: ${String(lastError)}`}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface Client {
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  /** Close codes of connections the server closed. */
  readonly closeCodes: number[];
  destroy(): void;
}

export interface ClientOptions {
  doc?: Y.Doc;
  params?: Record<string, string>;
  connect?: boolean;
}

export function openClient(url: string, store: string, { doc = new Y.Doc(), params = {}, connect = true }: ClientOptions = {}): Client {
  const provider = new WebsocketProvider(url, store, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params,
    connect,
    // Node has a global BroadcastChannel: without this, providers of one test
    // process would sync with each other and bypass the server.
    disableBc: true,
    maxBackoffTime: 400,
  });
  const closeCodes: number[] = [];
  provider.on('connection-close', (event) => {
    if (event !== null) closeCodes.push(event.code);
  });
  return {
    doc,
    provider,
    closeCodes,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

export function synced(client: Client, timeoutMs = 10_000): Promise<true> {
  return waitFor(() => client.provider.synced, { timeoutMs, what: 'provider to sync' });
}

export async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Reads one sample of a Prometheus metric from /metrics text. */
export function metricValue(text: string, name: string, labels = ''): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    if (line.slice(0, space) === name + labels) return Number(line.slice(space + 1));
  }
  return undefined;
}

export async function metrics(server: ServerProcess): Promise<string> {
  const res = await fetch(`${server.httpUrl}/metrics`);
  return res.text();
}

export interface RawSocket {
  readonly ws: WebSocket;
  readonly messages: Uint8Array[];
  readonly closed: Promise<{ code: number; reason: string }>;
}

/** A bare ws client, for sending what a well-behaved provider never would. */
export async function openRawSocket(url: string): Promise<RawSocket> {
  const ws = new WebSocket(url);
  const messages: Uint8Array[] = [];
  ws.on('message', (data: Buffer) => messages.push(new Uint8Array(data)));
  ws.on('error', () => {});
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('close', (code) => reject(new Error(`closed before open: ${code}`)));
  });
  return { ws, messages, closed };
}

export function countKeys(doc: Y.Doc, mapName = 'data'): number {
  return doc.getMap(mapName).size;
}
