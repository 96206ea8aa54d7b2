/**
 * The sync servers compared by bench/sync.ts, each started as its own process on 127.0.0.1 so its
 * RSS and CPU time can be read from /proc, and each killed however the benchmark ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';
import { rootDir } from '../common.js';

/** Which wire protocol a server speaks: y-websocket's, or Hocuspocus' (document name in front of every message). */
export type Protocol = 'y-websocket' | 'hocuspocus';

export type PeerId = 'ours' | 'ours-nofsync' | 'y-websocket-v1' | 'hocuspocus';

export interface PeerSpec {
  id: PeerId;
  label: string;
  protocol: Protocol;
  /** How and when an update reaches disk, for the results table. */
  persistence: string;
}

export const peers: Record<PeerId, PeerSpec> = {
  ours: {
    id: 'ours',
    label: 'ours (fsync)',
    protocol: 'y-websocket',
    persistence: 'LevelDB, every update written and fsynced before it is relayed (batched per store)',
  },
  'ours-nofsync': {
    id: 'ours-nofsync',
    label: 'ours --no-fsync',
    protocol: 'y-websocket',
    persistence: 'LevelDB, every update written (no fsync) before it is relayed',
  },
  'y-websocket-v1': {
    id: 'y-websocket-v1',
    label: 'y-websocket 1.5.4',
    protocol: 'y-websocket',
    persistence: 'y-leveldb 0.1 (YPERSISTENCE), every update written without fsync, relayed before the write completes',
  },
  hocuspocus: {
    id: 'hocuspocus',
    label: 'Hocuspocus 3.4.4',
    protocol: 'hocuspocus',
    persistence: 'SQLite (extension-sqlite), whole document stored 2 s after the last change (at most 10 s late), relayed before',
  },
};

export interface MemoryReading {
  rss: number;
  heapUsed: number;
  /** Memory held by C++ objects bound to JS ones, ArrayBuffers included. */
  external: number;
}

export interface RunningServer {
  readonly spec: PeerSpec;
  /** ws:// base URL; the room (store) name follows as a path for y-websocket, as a message field for Hocuspocus. */
  readonly url: string;
  readonly pid: number;
  /** Resident set size of the server process in bytes (VmRSS). */
  rss(): number;
  /** Runs two full collections in the server (through bench/sync/gc-probe.mjs) and reads its memory. */
  memoryAfterGc(): Promise<MemoryReading>;
  /** User + system CPU time of the server process so far, in ms (all its threads, LevelDB's included). */
  cpuMs(): number;
  /** The last lines the server printed, for error messages. */
  tail(): string;
  exited(): boolean;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Extra command-line flags for our server (rate limits, grace period). */
  oursArgs?: readonly string[];
}

const live = new Set<ChildProcess>();
const dataDirs = new Set<string>();

/** A child left running would keep the port and a core busy after the benchmark ends. */
function killLive(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  dataDirs.clear();
}
process.once('exit', killLive);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killLive();
    process.exit(130);
  });
}

async function freePort(): Promise<number> {
  // y-websocket 1.x prints the port it was given, not the one it got, so port 0 would leave us blind.
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

const clockTicks = 100;

function readRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) * 1024;
}

function readCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name, which may itself contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
}

export async function startServer(spec: PeerSpec, options: StartOptions = {}): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), `pos-bench-sync-${spec.id}-`));
  dataDirs.add(dataDir);
  // Every server gets the probe the same way; it only acts on SIGUSR2.
  const probe = ['--expose-gc', '--import', pathToFileURL(join(rootDir, 'bench/sync/gc-probe.mjs')).href];
  let command: string[];
  let env: NodeJS.ProcessEnv = { ...process.env };
  let fixedPort: number | null = null;
  switch (spec.id) {
    case 'ours':
    case 'ours-nofsync':
      command = [
        join(rootDir, 'sync-server/bin/pos-sync-server.js'),
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--data',
        dataDir,
        ...(spec.id === 'ours-nofsync' ? ['--no-fsync'] : []),
        ...(options.oursArgs ?? []),
      ];
      // No secret: the peers have no authentication either.
      env = { ...env, POS_SYNC_SECRET: '' };
      break;
    case 'y-websocket-v1':
      fixedPort = await freePort();
      command = [join(rootDir, 'node_modules/y-websocket-v1/bin/server.js')];
      env = { ...env, HOST: '127.0.0.1', PORT: String(fixedPort), YPERSISTENCE: dataDir };
      break;
    case 'hocuspocus':
      command = ['--import', 'tsx', join(rootDir, 'bench/sync/hocuspocus-server.ts'), '--sqlite', join(dataDir, 'hocuspocus.sqlite')];
      break;
  }
  const child = spawn(process.execPath, [...probe, ...command], { cwd: rootDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  const lines: string[] = [];
  let port: number | null = fixedPort;
  let announced = false;
  let memoryWaiter: ((reading: MemoryReading) => void) | null = null;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      live.delete(child);
      resolve();
    });
  });
  // The pipes must be drained: a server blocked on a full stdout pipe would stall mid-benchmark.
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      if (line.startsWith('{"benchMemory"')) {
        const reading = (JSON.parse(line) as { benchMemory: MemoryReading }).benchMemory;
        memoryWaiter?.(reading);
        memoryWaiter = null;
        return;
      }
      lines.push(line);
      if (lines.length > 40) lines.shift();
      if (announced) return;
      if (spec.id === 'y-websocket-v1') {
        announced = line.startsWith('running at');
        return;
      }
      if (!line.startsWith('{')) return;
      try {
        const parsed = JSON.parse(line) as { msg?: unknown; port?: unknown };
        if (parsed.msg === 'listening' && typeof parsed.port === 'number') {
          port = parsed.port;
          announced = true;
        }
      } catch {
        // A log line that is not JSON is only kept for the tail.
      }
    });
  }
  const tail = (): string => lines.slice(-10).join('\n');
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
    dataDirs.delete(dataDir);
  };
  try {
    const deadline = Date.now() + 20_000;
    while (!announced) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${spec.label} exited before listening:\n${tail()}`);
      if (Date.now() > deadline) throw new Error(`${spec.label} did not start within 20 s:\n${tail()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const pid = child.pid;
  if (pid === undefined || port === null) {
    await stop();
    throw new Error(`${spec.label}: no pid or port`);
  }
  return {
    spec,
    url: `ws://127.0.0.1:${port}`,
    pid,
    rss: () => readRss(pid),
    memoryAfterGc: async () => {
      const reading = new Promise<MemoryReading>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${spec.label} did not report its memory`)), 10_000);
        memoryWaiter = (value) => {
          clearTimeout(timer);
          resolve(value);
        };
      });
      child.kill('SIGUSR2');
      return reading;
    },
    cpuMs: () => readCpuMs(pid),
    tail,
    exited: () => child.exitCode !== null || child.signalCode !== null,
    stop,
  };
}

/** Starts a server, runs `fn`, and kills the server whatever happens. */
export async function withServer<T>(spec: PeerSpec, options: StartOptions, fn: (server: RunningServer) => Promise<T>): Promise<T> {
  const server = await startServer(spec, options);
  try {
    return await fn(server);
  } catch (err) {
    const exited = server.exited() ? ' (the server process had exited)' : '';
    throw new Error(`${err instanceof Error ? err.message : String(err)}${exited}; server's last lines:\n${server.tail()}`, { cause: err });
  } finally {
    await server.stop();
  }
}
