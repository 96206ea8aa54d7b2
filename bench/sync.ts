/**
 * Sync server benchmark (issues 3 and 8): our server next to y-websocket 1.5.4's reference server
 * and Hocuspocus 3.4, each in its own process on 127.0.0.1, measured by the same clients in this
 * process. Edit-to-visible latency across 20 tills of one store, sustained updates per second, and
 * server memory per idle store.
 *
 * Run on its own: `node --import tsx bench/sync.ts` (about 3 minutes; `--quick` for a smoke run).
 * Writes bench/results/sync.md and prints it.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { customerIds, encodeStore } from '../test/fixtures/customer-generator.js';
import { benchDir, checkTarget, isMain, machine, log, mb, median, ms, percentile, table, type Section, type TargetCheck } from './common.js';
import { probeDisk } from './sync/disk.js';
import { measureLatency, type LatencyOptions } from './sync/latency.js';
import { measureMemory, type MemoryOptions, type MemoryResult } from './sync/memory.js';
import { measureRelay, type RelayOptions } from './sync/relay.js';
import { peers, withServer, type PeerId, type PeerSpec } from './sync/servers.js';
import { measureThroughput, type ThroughputOptions, type ThroughputResult } from './sync/throughput.js';

const quick = process.argv.includes('--quick');
const runs = quick ? 1 : 3;
/** Throughput is the figure other work on the machine disturbs most; five short runs give a steadier median. */
const throughputRuns = quick ? 1 : 5;
const order: PeerId[] = ['ours', 'ours-nofsync', 'y-websocket-v1', 'hocuspocus'];
const comparedPeers: PeerId[] = ['y-websocket-v1', 'hocuspocus'];

const latencyCustomers = 200;
const latencyConfig = {
  tills: 20,
  warmupEdits: quick ? 5 : 20,
  edits: quick ? 40 : 150,
  maxGapMs: 20,
  editTimeoutMs: 5000,
} as const;

const relayConfig: RelayOptions = { warmup: 30, updates: quick ? 100 : 300, gapMs: 2, timeoutMs: 5000 };

const throughputConfig: ThroughputOptions = {
  rooms: 4,
  window: 64,
  warmupMs: quick ? 500 : 1000,
  measureMs: quick ? 1500 : 4000,
};
/**
 * The per-connection limit (200 messages/s, burst 2000) is a policy against a runaway till, not a
 * capacity: left on, it would cut the writers off, and the figure would be the limit, not the server.
 */
const throughputOursArgs = ['--rate-messages', '10000000', '--rate-messages-burst', '10000000'];

const memoryCustomers = 10;
const memoryGraceMs = 1000;
const memoryConfig = {
  stores: quick ? 200 : 1000,
  warmupStores: 20,
  batch: 50,
  settleMs: 2000,
  unloadWaitMs: memoryGraceMs + 3000,
} as const;
/** Memory does not depend on fsync; ours runs once, with a short grace period so the unload is seen. */
const memoryPeers: PeerId[] = ['ours', 'y-websocket-v1', 'hocuspocus'];

interface LatencyRun {
  p50: number;
  p99: number;
  max: number;
  /** Medians per edit: first receiver, last receiver, the editing till's own update call. */
  first: number;
  last: number;
  local: number;
  /** Bare-socket relay round trip through the server, p50 and p99 (bench/sync/relay.ts). */
  relayP50: number;
  relayP99: number;
  samples: number;
  missed: number;
  connectMs: number;
}

interface Results {
  latency: Map<PeerId, LatencyRun[]>;
  throughput: Map<PeerId, ThroughputResult[]>;
  memory: Map<PeerId, MemoryResult>;
  failures: Map<string, string>;
  disk: { syncP50: number; syncP99: number; plainP50: number };
}

function push<T>(map: Map<PeerId, T[]>, id: PeerId, value: T): void {
  const list = map.get(id) ?? [];
  list.push(value);
  map.set(id, list);
}

async function attempt(results: Results, what: string, spec: PeerSpec, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    // One peer failing must not cost the figures of the others; the failure goes into the report.
    const message = err instanceof Error ? err.message : String(err);
    log(`${what} ${spec.label} FAILED: ${message}`);
    results.failures.set(`${what} — ${spec.label}`, message.split('\n')[0] ?? message);
  }
}

async function measureAll(): Promise<Results> {
  const results: Results = {
    latency: new Map(),
    throughput: new Map(),
    memory: new Map(),
    failures: new Map(),
    disk: { syncP50: NaN, syncP99: NaN, plainP50: NaN },
  };

  log('disk: 200 LevelDB batches with and without sync');
  const disk = await probeDisk(200);
  results.disk = { syncP50: median(disk.syncWritesMs), syncP99: percentile(disk.syncWritesMs, 99), plainP50: median(disk.plainWritesMs) };

  const latencySeed = encodeStore(latencyCustomers, 1);
  const latencyIds = customerIds(latencyCustomers, 1);
  // Runs are interleaved across servers so a slow spell of the machine does not land on one server only.
  for (let run = 0; run < runs; run++) {
    for (const id of order) {
      const spec = peers[id];
      await attempt(results, 'latency', spec, () =>
        withServer(spec, {}, async (server) => {
          const options: LatencyOptions = { ...latencyConfig, seed: latencySeed, customerIds: latencyIds, randomSeed: 100 + run };
          const r = await measureLatency(server, options);
          const relay = await measureRelay(server, relayConfig);
          const entry = {
            p50: percentile(r.samples, 50),
            p99: percentile(r.samples, 99),
            max: Math.max(...r.samples),
            first: median(r.firstSamples),
            last: median(r.lastSamples),
            local: median(r.localSamples),
            relayP50: percentile(relay, 50),
            relayP99: percentile(relay, 99),
            samples: r.samples.length,
            missed: r.missed,
            connectMs: r.connectMs,
          };
          push(results.latency, id, entry);
          log(
            `latency ${spec.label} run ${run + 1}: p50 ${ms(entry.p50)}, p99 ${ms(entry.p99)}, max ${ms(entry.max)}, ${entry.samples} samples, ${entry.missed} missed; relay p50 ${ms(entry.relayP50)}, p99 ${ms(entry.relayP99)}`,
          );
        }),
      );
    }
  }

  for (let run = 0; run < throughputRuns; run++) {
    for (const id of order) {
      const spec = peers[id];
      await attempt(results, 'throughput', spec, () =>
        withServer(spec, { oursArgs: throughputOursArgs }, async (server) => {
          const r = await measureThroughput(server, throughputConfig);
          push(results.throughput, id, r);
          log(
            `throughput ${spec.label} run ${run + 1}: ${r.updatesPerSecond.toFixed(0)} updates/s, ${r.messagesOutPerSecond.toFixed(0)} messages out/s, server CPU ${(r.serverCpu * 100).toFixed(0)}%, bench CPU ${(r.clientCpu * 100).toFixed(0)}%`,
          );
        }),
      );
    }
  }

  const memorySeed = encodeStore(memoryCustomers, 2);
  for (const id of memoryPeers) {
    const spec = peers[id];
    await attempt(results, 'memory', spec, () =>
      withServer(spec, { oursArgs: ['--room-grace-ms', String(memoryGraceMs)] }, async (server) => {
        const options: MemoryOptions = { ...memoryConfig, seed: memorySeed };
        const r = await measureMemory(server, options);
        results.memory.set(id, r);
        log(
          `memory ${spec.label}: ${mb(r.baselineRss)} → ${mb(r.connectedRss)} with ${r.stores} stores (${((r.connectedRss - r.baselineRss) / r.stores / 1024).toFixed(1)} KiB each), ${mb(r.afterLeaveRss)} after they left`,
        );
      }),
    );
  }
  return results;
}

// ── report ───────────────────────────────────────────────────────────────────

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
const fmtRatio = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(2)}×` : '—');
const perSecond = (value: number): string => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '—');

function medianOf<T>(list: readonly T[] | undefined, pick: (item: T) => number): number {
  return list === undefined || list.length === 0 ? NaN : median(list.map(pick));
}

function report(results: Results, seconds: number): Section {
  const targets: TargetCheck[] = [];
  const lat = (id: PeerId, pick: (r: LatencyRun) => number): number => medianOf(results.latency.get(id), pick);
  const thr = (id: PeerId, pick: (r: ThroughputResult) => number): number => medianOf(results.throughput.get(id), pick);
  const perStore = (id: PeerId): number => {
    const r = results.memory.get(id);
    return r === undefined ? NaN : (r.connectedRss - r.baselineRss) / r.stores;
  };

  const oursP50 = lat('ours', (r) => r.p50);
  const oursP99 = lat('ours', (r) => r.p99);
  if (Number.isFinite(oursP50)) targets.push(checkTarget('sync edit-to-visible p50, 20 tills (ours, fsync)', oursP50, 10, 'ms', 2));
  if (Number.isFinite(oursP99)) targets.push(checkTarget('sync edit-to-visible p99, 20 tills (ours, fsync)', oursP99, 50, 'ms', 2));

  const latencyRows = order
    .filter((id) => results.latency.has(id))
    .map((id) => {
      const runsOf = results.latency.get(id) ?? [];
      const cells = [
        peers[id].label,
        ms(lat(id, (r) => r.p50)),
        ms(lat(id, (r) => r.p99)),
        ms(lat(id, (r) => r.max)),
        String(runsOf.reduce((s, r) => s + r.samples, 0)),
        String(runsOf.reduce((s, r) => s + r.missed, 0)),
      ];
      const isPeer = comparedPeers.includes(id);
      cells.push(isPeer ? fmtRatio(oursP50 / lat(id, (r) => r.p50)) : '', isPeer ? fmtRatio(oursP99 / lat(id, (r) => r.p99)) : '');
      cells.push(
        isPeer ? fmtRatio(lat('ours-nofsync', (r) => r.p50) / lat(id, (r) => r.p50)) : '',
        isPeer ? fmtRatio(lat('ours-nofsync', (r) => r.p99) / lat(id, (r) => r.p99)) : '',
      );
      return cells;
    });

  const oursUps = thr('ours', (r) => r.updatesPerSecond);
  const oursNoFsyncUps = thr('ours-nofsync', (r) => r.updatesPerSecond);
  const throughputRows = order
    .filter((id) => results.throughput.has(id))
    .map((id) => {
      const ups = thr(id, (r) => r.updatesPerSecond);
      const isPeer = comparedPeers.includes(id);
      return [
        peers[id].label,
        perSecond(ups),
        perSecond(thr(id, (r) => r.messagesOutPerSecond)),
        `${(thr(id, (r) => r.serverCpu) * 100).toFixed(0)}%`,
        `${thr(id, (r) => (r.serverCpu * 1e6) / r.updatesPerSecond).toFixed(1)} µs`,
        `${(thr(id, (r) => r.clientCpu) * 100).toFixed(0)}%`,
        (results.throughput.get(id) ?? []).map((r) => perSecond(r.updatesPerSecond)).join(' / '),
        isPeer ? fmtRatio(oursUps / ups) : '',
        isPeer ? fmtRatio(oursNoFsyncUps / ups) : '',
      ];
    });

  const gcPerStore = (id: PeerId, pick: (r: MemoryResult) => number): number => {
    const r = results.memory.get(id);
    return r === undefined ? NaN : pick(r) / r.stores;
  };
  const rssGc = (r: MemoryResult): number => r.connectedGc.rss - r.baselineGc.rss;
  const heapGc = (r: MemoryResult): number => r.connectedGc.heapUsed + r.connectedGc.external - r.baselineGc.heapUsed - r.baselineGc.external;
  const memoryRows = memoryPeers
    .filter((id) => results.memory.has(id))
    .map((id) => {
      const r = results.memory.get(id) as MemoryResult;
      const isPeer = comparedPeers.includes(id);
      return [
        id === 'ours' ? `ours (grace ${memoryGraceMs} ms)` : peers[id].label,
        mb(r.baselineRss),
        mb(r.connectedRss),
        kib(perStore(id)),
        kib(gcPerStore(id, rssGc)),
        kib(gcPerStore(id, heapGc)),
        `${mb(r.afterLeaveGc.rss)} / ${kib((r.afterLeaveGc.heapUsed + r.afterLeaveGc.external - r.baselineGc.heapUsed - r.baselineGc.external) / r.stores)}`,
        `${(r.connectMs / 1000).toFixed(1)} s`,
        isPeer ? fmtRatio(perStore('ours') / perStore(id)) : '',
        isPeer ? fmtRatio(gcPerStore('ours', heapGc) / gcPerStore(id, heapGc)) : '',
      ];
    });

  const breakdownRows = order
    .filter((id) => results.latency.has(id))
    .map((id) => [
      peers[id].label,
      ms(lat(id, (r) => r.local)),
      ms(lat(id, (r) => r.first)),
      ms(lat(id, (r) => r.last)),
      ms(lat(id, (r) => r.p50)),
      ms(lat(id, (r) => r.relayP50)),
      ms(lat(id, (r) => r.relayP99)),
    ]);

  const targetLines = targets.map((t) => `- ${t.name}: limit ${t.limit}, measured ${t.measured} — ${t.met ? 'met' : '**missed**'} (${t.margin}).`);
  const failureLines = [...results.failures].map(([what, why]) => `- ${what}: ${why}`);
  const relay = (id: PeerId): number => lat(id, (r) => r.relayP50);
  const relayTail = (id: PeerId): number => lat(id, (r) => r.relayP99);
  const fastestPeerRelay = Math.min(...comparedPeers.map(relay).filter(Number.isFinite));
  const latencyVerdict =
    targets.length === 2 && targets.every((t) => t.met)
      ? 'Both latency targets are met.'
      : `A latency target is missed: compare the relay round trip of ours (${ms(relay('ours'))}) with ours --no-fsync (${ms(relay('ours-nofsync'))}) and the fastest peer (${ms(fastestPeerRelay)}); if ours is close to the peers there, the time is on the client side (the editor's call and the receivers' processing), not in the server.`;
  const saturated = order.filter((id) => thr(id, (r) => r.serverCpu) >= 0.9);

  const markdown = [
    `Measured by \`node --import tsx bench/sync.ts\` in ${(seconds / 60).toFixed(1)} min${quick ? ' (**--quick**: fewer runs and samples, smoke test only)' : ''}. Every server runs as its own process on 127.0.0.1 with its data directory on this machine's disk; all clients run in the benchmark process. Figures are medians over ${runs} run${runs === 1 ? '' : 's'} (runs interleaved across servers) unless stated.`,
    '',
    '### Servers',
    '',
    table(
      ['server', 'clients', 'persistence'],
      order.map((id) => [
        peers[id].label,
        peers[id].protocol === 'hocuspocus'
          ? '@hocuspocus/provider 3.4.4 (latency, memory); bare sockets (throughput)'
          : 'y-websocket 3 WebsocketProvider (latency, memory); bare sockets (throughput)',
        peers[id].persistence,
      ]),
    ),
    '',
    'Who persists on every update: ours (written, by default fsynced, before anything is relayed) and y-websocket 1.5.4 (each update handed to y-leveldb, without fsync, and relayed without waiting for the write). Hocuspocus debounces: the whole document is written to SQLite 2 s after the last change (10 s at most under constant edits), so an update it has relayed can be lost if the process dies within that window. The like-for-like row for the peers is ours --no-fsync (still written before relaying).',
    '',
    `Disk: a 120-byte LevelDB batch takes ${ms(results.disk.plainP50)} without sync and ${ms(results.disk.syncP50)} (p99 ${ms(results.disk.syncP99)}) with sync (median of 200, this machine, same filesystem as the servers' data).`,
    '',
    '### Targets',
    '',
    ...(targetLines.length ? targetLines : ['- no figures for ours: see failures']),
    '',
    `### Edit-to-visible latency, ${latencyConfig.tills} tills in one store`,
    '',
    `A store of ${latencyCustomers} generated customers; every till runs a CustomerStore on its own Y.Doc. Each edit is \`store.update(id, { notes })\` on one till (editing till rotates through all ${latencyConfig.tills}); a sample is the time from that call until another till's store reports the changed customer to its subscribers, so each edit gives ${latencyConfig.tills - 1} samples. ${latencyConfig.edits} measured edits per run after ${latencyConfig.warmupEdits} warm-up edits, one at a time with a random 0–${latencyConfig.maxGapMs} ms pause between them. p50 / p99 / max are per run, then the median of the runs; "missed" counts receivers that had not seen an edit after ${latencyConfig.editTimeoutMs / 1000} s. Ratios are ours ÷ this server: **lower is better for ours** (below 1× = ours is faster).`,
    '',
    table(
      ['server', 'p50', 'p99', 'max', 'samples', 'missed', 'p50 ours÷this', 'p99 ours÷this', 'p50 ours --no-fsync÷this', 'p99 ours --no-fsync÷this'],
      latencyRows,
    ),
    '',
    `Where the time goes (medians per edit, then the median over runs): the editing till's own \`store.update\` call (validation, the Yjs transaction, its own CustomerStore, and the provider handing the update to the socket); the first and the last of the ${latencyConfig.tills - 1} receivers to see the edit (all receivers live in this one benchmark process and are served one after the other, so the spread between first and last is client-side queueing, the same for every server). "Relay round trip" isolates the server: after the tills are done, one bare socket sends a ~100-byte update and another in the same store times its arrival, one update at a time with ${relayConfig.gapMs} ms between them (${relayConfig.updates} per run after ${relayConfig.warmup} warm-up), no Y.Doc on either side: the server plus two loopback hops.`,
    '',
    table(
      ['server', "editor's update call", 'first receiver', 'last receiver', 'all receivers p50', 'relay round trip p50', 'relay round trip p99'],
      breakdownRows,
    ),
    '',
    `### Sustained updates per second`,
    '',
    `${throughputConfig.rooms} stores, each with one writing and one observing client (bare WebSockets: no Y.Doc receives, so the load generator stays cheaper than the server). Each update sets one short note in a Y.Map (~100-byte Yjs update). A writer keeps at most ${throughputConfig.window} updates unacknowledged; an update counts as acknowledged when its store's observer receives it from the server, so the writers go exactly as fast as the server receives, stores and relays. ${throughputConfig.measureMs / 1000} s measured after ${throughputConfig.warmupMs / 1000} s warm-up; median of ${throughputRuns} run${throughputRuns === 1 ? '' : 's'}. "updates/s" = updates received and relayed per second (each one also reached the observer); "messages out/s" = everything the server sent to all sockets (relays, plus echoes to the sender for y-websocket 1.5.4 and Hocuspocus, plus Hocuspocus' sync-status acks). CPU = process CPU time ÷ wall time (100% = one core; a server's LevelDB or SQLite threads count too); server CPU per update = server CPU time ÷ updates relayed. Ours runs with the per-connection rate limit raised (\`${throughputOursArgs.join(' ')}\`): by default a till is cut off past 200 messages/s, a guard against a runaway till, not a capacity. Ratios are ours ÷ this server: **higher is better for ours**.`,
    '',
    table(
      ['server', 'updates/s', 'messages out/s', 'server CPU', 'server CPU per update', 'bench CPU', 'updates/s per run', 'ours÷this', 'ours --no-fsync÷this'],
      throughputRows,
    ),
    '',
    `### Memory per idle store`,
    '',
    `${memoryConfig.stores.toLocaleString('en-US')} stores, each with one till (a provider, one WebSocket each) connected that brought a ${memoryCustomers}-customer document (${kib(encodeStore(memoryCustomers, 2).length)} as one update), then idle. The server's memory is read after ${memoryConfig.warmupStores} warm-up stores are connected (the baseline, so one-time costs are not charged per store), again ${memoryConfig.settleMs / 1000} s after the last of the ${memoryConfig.stores.toLocaleString('en-US')} synced, and again ${memoryConfig.unloadWaitMs / 1000} s after every till left (ours runs with \`--room-grace-ms ${memoryGraceMs}\` so its stores are unloaded by then; the peers unload a document when its last client leaves). "RSS" is VmRSS as read, uncollected garbage included; "after GC" figures are read right after two full collections, triggered in each server by a SIGUSR2 handler preloaded for the benchmark (bench/sync/gc-probe.mjs); "heap" = V8 heap used + external memory. One run per server; fsync does not change memory, so ours runs once. Ratios: ours ÷ this per store, **lower is better for ours**.`,
    '',
    table(
      [
        'server',
        'baseline RSS',
        `RSS, ${memoryConfig.stores} stores`,
        'RSS per store',
        'RSS per store after GC',
        'heap per store after GC',
        'after all left: RSS / heap per store (after GC)',
        'connect time',
        'RSS ours÷this',
        'heap ours÷this',
      ],
      memoryRows,
    ),
    '',
    '### Notes',
    '',
    `- Latency: ${latencyVerdict} The server's own share is the relay round trip: ours ${ms(relay('ours'))} (p99 ${ms(relayTail('ours'))}) with fsync, ${ms(relay('ours-nofsync'))} (p99 ${ms(relayTail('ours-nofsync'))}) without, against ${ms(fastestPeerRelay)} for the fastest peer, which relays before its write completes (y-websocket 1.5.4) or writes later (Hocuspocus); ours stores every update before relaying it. The fsync difference is of the order of one synced LevelDB batch on this disk (${ms(results.disk.syncP50)} median, ${ms(results.disk.syncP99)} p99); on a disk with slow flushes (a network volume, an SD card) that term grows and --no-fsync is the knob. Everything else (the editor's call, each receiving till applying the update and re-indexing the customer in its CustomerStore, and the 19 receivers taking turns on one core of this benchmark process) is client-side and the same whichever server relays.`,
    `- Throughput: ${saturated.length ? `${saturated.map((id) => peers[id].label).join(', ')} kept about one core busy (server CPU ≥ 90%): these figures are the server's capacity on this machine, with the benchmark process and the kernel's loopback work sharing the second core` : 'no server reached 90% of a core: the figures are bounded by the load generator or the round trips, not by the servers'}. "Server CPU per update" is the fairer comparison where the load generator also competes for the cores. Ours relays each update once (not back to its sender) and does more per update before relaying (a LevelDB batch per store, synced or not, and a compaction of the store every 500 updates); y-websocket 1.5.4 and Hocuspocus send every update back to its sender as well.`,
    `- Memory: the baseline RSS of ours and of the Hocuspocus runner includes the tsx loader both run under (y-websocket 1.5.4 is plain JavaScript); per-store figures are differences, so that does not enter them. After all tills left, every server's heap went back to its baseline (the "after all left" heap per store), while RSS stays up: freed memory that the V8 heap and malloc keep rather than return to the OS.`,
    `- The clients share the machine's 2 cores with the servers: figures are for a loaded loopback, not a network, and other work on the machine during a run makes it slower (see the load average above).`,
    ...(failureLines.length ? ['', '### Failures', '', ...failureLines] : []),
  ].join('\n');

  return { title: 'Sync server', markdown, targets };
}

/** Runs every measurement and returns the section for bench/RESULTS.md. */
export async function benchSync(): Promise<Section> {
  const started = performance.now();
  const results = await measureAll();
  return report(results, (performance.now() - started) / 1000);
}

if (isMain(import.meta.url)) {
  const date = execSync('date -u', { encoding: 'utf8' }).trim();
  const load = (): string =>
    loadavg()
      .map((x) => x.toFixed(2))
      .join(' / ');
  const loadBefore = load();
  const section = await benchSync();
  const md = [
    `## ${section.title}`,
    '',
    `Command: \`node --import tsx bench/sync.ts${quick ? ' --quick' : ''}\`, ${date}.`,
    '',
    ...machine(),
    `- Load average (1 / 5 / 15 min) at start: ${loadBefore}; at end: ${load()}.`,
    '',
    section.markdown,
    '',
  ].join('\n');
  const outDir = join(benchDir, 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'sync.md'), md);
  process.stdout.write(md);
  log(`wrote bench/results/sync.md: ${section.targets.filter((t) => t.met).length}/${section.targets.length} targets met`);
  // Providers keep reconnect timers; the measurements are over.
  process.exit(0);
}
