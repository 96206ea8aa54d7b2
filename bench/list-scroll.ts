/**
 * The back office's customer list in a real browser: headless Chromium (playwright-core) on a bench page
 * served by Vite (bench/browser/list.html) that opens <pos-customers> without a server, applies a prebuilt
 * store update of N customers and mounts <pos-customer-list>. Measured in the page: time to the first
 * rendered rows, frame intervals while scrolling the list by 200 px a frame and while flinging it
 * by 2,000 px a frame, and search keystrokes to updated rows. Each run is a fresh browser context (its
 * own renderer process and IndexedDB).
 *
 *   node --import tsx bench/list-scroll.ts     all sizes; writes bench/results/list-scroll.md and prints it
 *   node --import tsx bench/list-scroll.ts --sizes 100000 --runs 1 --no-profile    a quick look while working
 *     (still writes the file: the full command's figures are the ones to keep)
 */
import type { Profiler } from 'node:inspector';
import type { Page } from 'playwright-core';
import { encodeStore } from '../test/fixtures/customer-generator.js';
import {
  heapAfterGc,
  litBuild,
  profilePage,
  startBrowserBench,
  traceMainThread,
  VIEWPORT,
  type BrowserBench,
  type MainThreadTrace,
} from './browser/harness.js';
import { runStandalone } from './browser/standalone.js';
import type { FirstRowsResult, KeystrokeResult, ListPageApi, LoadResult, PickerKeystrokeResult, ScrollResult } from './browser/list-page.js';
import {
  argValue,
  checkTarget,
  isMain,
  log,
  mb,
  median,
  ms,
  percentile,
  profileMarkdown,
  summariseProfile,
  table,
  type ProfileSummary,
  type Section,
  type TargetCheck,
} from './common.js';

export const LIST_SIZES = [10_000, 100_000];
const SEED = 1;
const RUNS = 3;
const LIST_HEIGHT_PX = 720;
const STEADY = { stepPx: 200, durationMs: 3000 };
const FLING = { stepPx: 2000, durationMs: 2000 };
/** Typed one character at a time, with a pause like a person's between keystrokes; '' is clearing the box. */
const KEYSTROKES = ['n', 'ng', 'ngu', 'nguy', 'nguye', 'nguyen', '', 's', 'sm', 'smi', 'smit', 'smith', ''];
const KEY_PAUSE_MS = 120;
/** One display refresh at 60 Hz: rAF timestamps come in multiples of it, ±0.1 ms. */
const VSYNC_MS = 1000 / 60;
/**
 * Issue 8's picker targets, a keystroke to updated results: p95 of the task handling the keystroke (search,
 * Lit update, rows in the DOM), at the largest size and at 10k.
 */
const PICKER_P95_TARGET_MS = { large: 16, small: 4 };
/**
 * Times the picker's keystrokes are typed in each run (a fresh page): a cashier searches all day, so the
 * first round's keystrokes, the page's first searches (code not yet compiled, caches empty), are a third
 * of the samples rather than all of them. The first round's p95 is shown on its own.
 */
const PICKER_ROUNDS = 3;
/**
 * Smooth scrolling: at most 5% of frames late, i.e. a p95 frame interval of one refresh. Counted in late
 * frames rather than as "p95 < 16.7 ms" because rAF intervals jitter by ±0.1 ms around 16.67.
 */
const LATE_FRAMES_TARGET_PERCENT = 5;
/** The usual "feels instant" response budget; the issue sets none for the list, so this one is ours. */
const KEYSTROKE_P95_TARGET_MS = 100;
/** First rows slower than this get their profile printed too. */
const FIRST_ROWS_PROFILE_MS = 100;

interface Run {
  load: LoadResult;
  heapAfterLoadBytes: number;
  first: FirstRowsResult;
  steady: ScrollResult;
  fling: ScrollResult;
  keys: KeystrokeResult[];
  pickerKeys: PickerKeystrokeResult[];
}

/** Typed into the picker as a cashier looks someone up: names, a phone number, an email. */
const PICKER_KEYSTROKES = [
  'n',
  'ng',
  'ngu',
  'nguy',
  'nguye',
  'nguyen',
  'nguyen v',
  'nguyen va',
  'nguyen van',
  's',
  'sm',
  'smi',
  'smit',
  'smith',
  '0',
  '09',
  '091',
  '0912',
  'j',
  'jo',
  'jos',
  'jose',
];

interface SizeResult {
  size: number;
  encodedBytes: number;
  runs: Run[];
}

const api = (page: Page) => page.evaluateHandle(() => window.benchList as ListPageApi);

async function openListPage(bench: BrowserBench) {
  const opened = await bench.open('/bench/browser/list.html');
  await opened.page.waitForFunction(() => Boolean(window.benchList), undefined, { timeout: 30_000 });
  return opened;
}

async function measureRun(bench: BrowserBench, size: number): Promise<Run> {
  const { context, page } = await openListPage(bench);
  try {
    const list = await api(page);
    const load = await list.evaluate((l, n) => l.load(n), size);
    if (load.liveCount !== size) throw new Error(`the page's store holds ${load.liveCount} customers, expected ${size}`);
    const heapAfterLoadBytes = await heapAfterGc(page);
    const first = await list.evaluate((l, h) => l.mount(h), LIST_HEIGHT_PX);
    const steady = await list.evaluate((l, s) => l.scroll(s.stepPx, s.durationMs), STEADY);
    const fling = await list.evaluate((l, s) => l.scroll(s.stepPx, s.durationMs), FLING);
    const keys = await list.evaluate((l, k) => l.type(k.values, k.pause, true), { values: KEYSTROKES, pause: KEY_PAUSE_MS });
    const wrong = keys.filter((k) => !k.rowsMatch);
    if (wrong.length) throw new Error(`rows did not match the search after typing ${wrong.map((k) => JSON.stringify(k.value)).join(', ')}`);
    const pickerKeys = await list.evaluate((l, k) => l.typeInPicker(k.values, k.pause), {
      values: Array.from({ length: PICKER_ROUNDS }, () => PICKER_KEYSTROKES).flat(),
      pause: KEY_PAUSE_MS,
    });
    const missed = pickerKeys.filter((k) => !k.firstMatches);
    if (missed.length)
      throw new Error(`the picker's first row was not the store's best match after typing ${missed.map((k) => JSON.stringify(k.value)).join(', ')}`);
    return { load, heapAfterLoadBytes, first, steady, fling, keys, pickerKeys };
  } finally {
    await context.close();
  }
}

interface Profiles {
  /** Where the main thread's time goes while scrolling, from Chrome traces (no profiler running). */
  steadyTrace?: MainThreadTrace;
  flingTrace?: MainThreadTrace;
  mount?: ProfileSummary;
  steady?: ProfileSummary;
  fling?: ProfileSummary;
  typing?: ProfileSummary;
}

/**
 * One extra run at `size`: both scrolls traced (the rendering work a JS profile cannot break down), then
 * the slow phases sampled by V8's profiler (250 µs).
 */
async function profileRun(bench: BrowserBench, size: number, which: { mount: boolean; steady: boolean; fling: boolean; typing: boolean }): Promise<Profiles> {
  const { context, page } = await openListPage(bench);
  try {
    const list = await api(page);
    await list.evaluate((l, n) => l.load(n), size);
    await heapAfterGc(page);
    const out: Profiles = {};
    const summary = (p: { profile: Profiler.Profile }) => summariseProfile(p.profile, 12);
    if (which.mount) out.mount = summary(await profilePage(page, () => list.evaluate((l, h) => l.mount(h), LIST_HEIGHT_PX)));
    else await list.evaluate((l, h) => l.mount(h), LIST_HEIGHT_PX);
    out.steadyTrace = await traceMainThread(bench, page, () => list.evaluate((l, s) => l.scroll(s.stepPx, s.durationMs), STEADY));
    out.flingTrace = await traceMainThread(bench, page, () => list.evaluate((l, s) => l.scroll(s.stepPx, s.durationMs), FLING));
    if (which.steady) out.steady = summary(await profilePage(page, () => list.evaluate((l, s) => l.scroll(s.stepPx, s.durationMs), STEADY)));
    if (which.fling) out.fling = summary(await profilePage(page, () => list.evaluate((l, s) => l.scroll(s.stepPx, s.durationMs), FLING)));
    if (which.typing)
      out.typing = summary(
        await profilePage(page, () => list.evaluate((l, k) => l.type(k.values, k.pause, false), { values: KEYSTROKES, pause: KEY_PAUSE_MS })),
      );
    return out;
  } finally {
    await context.close();
  }
}

// ── figures ──────────────────────────────────────────────────────────────────

/** Frames that took at least one refresh longer than they should have (rAF timestamps are vsync-aligned ±0.1 ms). */
const longFrames = (deltas: readonly number[]) => deltas.filter((d) => d > 1.5 * VSYNC_MS).length;
/** Refreshes that showed no new frame. */
const missedVsyncs = (deltas: readonly number[]) => deltas.reduce((n, d) => n + Math.max(0, Math.round(d / VSYNC_MS) - 1), 0);

function scrollRow(size: number, kind: string, scrolls: readonly ScrollResult[]): string[] {
  const deltas = scrolls.flatMap((s) => s.deltas);
  const work = scrolls.flatMap((s) => s.work);
  const frames = scrolls.reduce((n, s) => n + s.deltas.length, 0);
  return [
    size.toLocaleString('en-US'),
    kind,
    String(frames),
    ms(percentile(deltas, 50)),
    ms(percentile(deltas, 95)),
    ms(Math.max(...deltas)),
    `${longFrames(deltas)} (${((longFrames(deltas) / frames) * 100).toFixed(0)}%)`,
    String(missedVsyncs(deltas)),
    ms(percentile(work, 50)),
    ms(percentile(work, 95)),
    `${scrolls.reduce((n, s) => n + s.blankFrames, 0)} (at worst ${Math.max(...scrolls.map((s) => s.missingRowsMax))} rows missing)`,
    String(Math.max(...scrolls.map((s) => s.maxRows))),
    String(Math.max(...scrolls.map((s) => s.maxElements))),
  ];
}

export interface ListScrollOptions {
  sizes?: readonly number[];
  runs?: number;
  /** Leave out the traced and profiled extra run. */
  profile?: boolean;
}

export async function benchListScroll(options: ListScrollOptions = {}): Promise<Section> {
  const sizes = options.sizes ?? LIST_SIZES;
  const runCount = options.runs ?? RUNS;
  const bench = await startBrowserBench();
  const results: SizeResult[] = [];
  let lit = 'unknown';
  let profiles: Profiles | undefined;
  const targets: TargetCheck[] = [];
  const largest = sizes[sizes.length - 1] as number;
  try {
    for (const size of sizes) {
      log(`list ${size}: encoding the store`);
      const update = encodeStore(size, SEED);
      bench.data.set(`store-${size}.bin`, update);
      const runs: Run[] = [];
      for (let i = 0; i < runCount; i++) {
        log(`list ${size}: run ${i + 1}/${runCount}`);
        runs.push(await measureRun(bench, size));
      }
      results.push({ size, encodedBytes: update.byteLength, runs });
      if (size !== largest) bench.data.delete(`store-${size}.bin`);
    }
    {
      const { context, page } = await openListPage(bench);
      lit = await litBuild(page);
      await context.close();
    }
    const last = results[results.length - 1] as SizeResult;
    const steadyDeltas = last.runs.flatMap((r) => r.steady.deltas);
    const keyP95 = percentile(
      last.runs.flatMap((r) => r.keys.map((k) => k.paintedMs)),
      95,
    );
    const scrollTarget = checkTarget(
      `list scroll at ${largest / 1000}k, ${STEADY.stepPx} px/frame: frames that missed a refresh`,
      (longFrames(steadyDeltas) / steadyDeltas.length) * 100,
      LATE_FRAMES_TARGET_PERCENT,
      '%',
      1,
    );
    const keyTarget = checkTarget(`list search keystroke → rows painted at ${largest / 1000}k: p95`, keyP95, KEYSTROKE_P95_TARGET_MS, 'ms', 0);
    targets.push(scrollTarget, keyTarget);
    const pickerP95 = (r: SizeResult | undefined) =>
      r
        ? percentile(
            r.runs.flatMap((x) => x.pickerKeys.map((k) => k.taskMs)),
            95,
          )
        : NaN;
    const small = results.find((r) => r.size === 10_000);
    if (small) targets.push(checkTarget('picker keystroke → results in the DOM at 10k: p95', pickerP95(small), PICKER_P95_TARGET_MS.small, 'ms', 1));
    targets.push(checkTarget(`picker keystroke → results in the DOM at ${largest / 1000}k: p95`, pickerP95(last), PICKER_P95_TARGET_MS.large, 'ms', 1));
    const which = {
      mount: median(last.runs.map((r) => r.first.paintedMs)) > FIRST_ROWS_PROFILE_MS,
      steady: !scrollTarget.met,
      fling: last.runs.some((r) => longFrames(r.fling.deltas) > 0),
      typing: !keyTarget.met,
    };
    if (options.profile !== false) {
      log(`list ${largest}: tracing and profiling`);
      profiles = await profileRun(bench, largest, which);
    }
  } finally {
    await bench.close();
  }

  const parts: string[] = [];
  parts.push(
    `Headless Chromium (${VIEWPORT.width}×${VIEWPORT.height} viewport, software rendering: \`--disable-gpu\`) on \`bench/browser/list.html\`, served by Vite in-process ` +
      `with Lit's **${lit}** build (the \`production\` export condition; modules served unbundled, not minified, which does not change what runs). ` +
      `The page opens \`<pos-customers>\` with no server (device storage only), applies the encoded store (\`encodeStore(n, ${SEED})\`) with \`Y.applyUpdate\` into its document, ` +
      `waits for IndexedDB to take the write and collects garbage, then mounts \`<pos-customer-list>\` (${LIST_HEIGHT_PX} px high). ${runCount} runs per size, each in a fresh browser context; ` +
      'scroll and keystroke percentiles pool the frames and keystrokes of all runs, other figures are medians of runs.',
    '',
    '### Load and first rows',
    '',
    '"Apply" is `Y.applyUpdate` including the store indexing every customer (the same work as a sync or a reload from device storage). ' +
      '"First rows" starts when the list element is appended: first Lit update (ordering every customer by name), rows in the DOM (polled each frame), and the frame showing them rendered.',
    '',
    table(
      [
        'customers',
        'update',
        'apply + index',
        'JS heap after load (GC)',
        'list first update',
        'rows in DOM',
        'first rows painted',
        'rows in DOM at rest',
        'elements in list',
      ],
      results.map((r) => {
        const m = (f: (run: Run) => number) => median(r.runs.map(f));
        return [
          r.size.toLocaleString('en-US'),
          mb(r.encodedBytes),
          ms(m((x) => x.load.applyMs)),
          mb(m((x) => x.heapAfterLoadBytes)),
          ms(m((x) => x.first.firstUpdateMs)),
          ms(m((x) => x.first.rowsMs)),
          ms(m((x) => x.first.paintedMs)),
          String(m((x) => x.first.rows)),
          String(m((x) => x.first.elements)),
        ];
      }),
    ),
    '',
    'First rows painted, all runs: ' + results.map((r) => `${r.size / 1000}k: ${r.runs.map((x) => x.first.paintedMs.toFixed(0)).join(', ')} ms`).join('; '),
    '',
    '### Scrolling',
    '',
    `The list's scrolling area is moved by \`scrollTop\` in a requestAnimationFrame callback every frame: ${STEADY.stepPx} px a frame for ${STEADY.durationMs / 1000} s ` +
      `(${(STEADY.stepPx * 60).toLocaleString('en-US')} px/s, a brisk wheel or touch scroll), then a fling of ${FLING.stepPx.toLocaleString('en-US')} px a frame for ${FLING.durationMs / 1000} s ` +
      '(a scrollbar drag; turning at either end). "Frame interval" is the delta between rAF timestamps, which Chromium aligns to the 60 Hz refresh (16.67 ms ±0.1), so ' +
      '"long frames" counts intervals over 1.5 refreshes (a literal "> 16.7 ms" would count that jitter) and "missed refreshes" how many refreshes showed no new frame. ' +
      '"Main-thread work" runs from our rAF callback to a message posted from it, which is handled after that frame\'s style, layout and paint. ' +
      '"Blank frames" were missing rows in the viewport when rendered (checked after layout in a ResizeObserver callback, from the rendered rows\' indices). ' +
      `The scroller shows ${results[0]?.runs[0] ? `${results[0].runs[0].steady.viewportPx} px, about ${Math.round(results[0].runs[0].steady.viewportPx / results[0].runs[0].steady.pitchPx)} rows of ${results[0].runs[0].steady.pitchPx} px` : 'its rows'}.`,
    '',
    table(
      [
        'customers',
        'scroll',
        'frames',
        'interval p50',
        'interval p95',
        'interval max',
        'long frames',
        'missed refreshes',
        'main-thread work p50',
        'work p95',
        'blank frames',
        'max rows in DOM',
        'max elements in list',
      ],
      results.flatMap((r) => [
        scrollRow(
          r.size,
          `${STEADY.stepPx} px/frame`,
          r.runs.map((x) => x.steady),
        ),
        scrollRow(
          r.size,
          `fling ${FLING.stepPx} px/frame`,
          r.runs.map((x) => x.fling),
        ),
      ]),
    ),
    '',
    'Long frames per run (steady / fling): ' +
      results.map((r) => `${r.size / 1000}k: ${r.runs.map((x) => `${longFrames(x.steady.deltas)}/${longFrames(x.fling.deltas)}`).join(', ')}`).join('; '),
    '',
    '### Search keystrokes',
    '',
    `Typed into the list's search box one character at a time (the value set and an \`input\` event dispatched in the page, ${KEY_PAUSE_MS} ms apart, from the top of the list): ` +
      KEYSTROKES.map((k) => (k ? `\`${k}\`` : '(cleared)')).join(', ') +
      '. "Rows in DOM" ends when the task handling the event and its microtasks are done (the list filtered and its rows re-rendered); "painted" after the next frame rendered. ' +
      'Every run checks that each row shown is one the store lists for the query.',
    '',
    table(
      ['customers', 'keystrokes', 'rows in DOM p50', 'painted p50', 'painted p95', 'painted max', 'slowest keystroke (median of runs)'],
      results.map((r) => {
        const painted = r.runs.flatMap((x) => x.keys.map((k) => k.paintedMs));
        const byKey = KEYSTROKES.map((value, i) => ({ value, ms: median(r.runs.map((x) => x.keys[i]?.paintedMs ?? NaN)) }));
        const slowest = byKey.reduce((a, b) => (b.ms > a.ms ? b : a));
        return [
          r.size.toLocaleString('en-US'),
          String(painted.length),
          ms(
            percentile(
              r.runs.flatMap((x) => x.keys.map((k) => k.domMs)),
              50,
            ),
          ),
          ms(percentile(painted, 50)),
          ms(percentile(painted, 95)),
          ms(Math.max(...painted)),
          `${slowest.value ? `\`${slowest.value}\`` : '(cleared)'}: ${ms(slowest.ms)}`,
        ];
      }),
    ),
    '',
    `Per keystroke at ${largest.toLocaleString('en-US')} (painted, median of runs, and what the list then showed):`,
    '',
    table(
      ['typed', 'rows in DOM', 'painted', 'list says'],
      KEYSTROKES.map((value, i) => {
        const runs = (results[results.length - 1] as SizeResult).runs;
        const at = (f: (k: KeystrokeResult) => number) => median(runs.map((x) => (x.keys[i] ? f(x.keys[i] as KeystrokeResult) : NaN)));
        return [value ? `\`${value}\`` : '(cleared)', ms(at((k) => k.domMs)), ms(at((k) => k.paintedMs)), runs[0]?.keys[i]?.countText ?? ''];
      }),
    ),
  );
  parts.push(
    '',
    '### Picker keystrokes',
    '',
    `Issue 8's picker target is "a keystroke to updated results on screen"; bench/search.ts times the search alone. Here the list is removed and a \`<pos-customer-picker>\` in the same shop is opened and typed into (${KEY_PAUSE_MS} ms apart): ` +
      PICKER_KEYSTROKES.map((k) => `\`${k}\``).join(', ') +
      `, ${PICKER_ROUNDS} times over in each run (a fresh page): the first round's keystrokes are the page's first searches. ` +
      '"Task" ends when the task handling the `input` event and its microtasks are done (search run, Lit updated); the picker renders the options in view (its own row window, as the list\'s), so "painted" waits for its first row to be the store\'s best match (at most 30 frames; the table shows how many it took), then for the frame after. Every run checks that first row.',
    '',
    table(
      [
        'customers',
        'keystrokes',
        'task p50',
        'task p95',
        'first round: task p95',
        'painted p50',
        'painted p95',
        'painted max',
        'frames waited for rows (p50 / max)',
      ],
      results.map((r) => {
        const keys = r.runs.flatMap((x) => x.pickerKeys);
        const firstRound = r.runs.flatMap((x) => x.pickerKeys.slice(0, PICKER_KEYSTROKES.length).map((k) => k.taskMs));
        const painted = keys.map((k) => k.paintedMs);
        const task = keys.map((k) => k.taskMs);
        const waited = keys.map((k) => k.framesWaited);
        return [
          r.size.toLocaleString('en-US'),
          String(keys.length),
          ms(percentile(task, 50)),
          ms(percentile(task, 95)),
          ms(percentile(firstRound, 95)),
          ms(percentile(painted, 50)),
          ms(percentile(painted, 95)),
          ms(Math.max(...painted)),
          `${percentile(waited, 50)} / ${Math.max(...waited)}`,
        ];
      }),
    ),
    '',
    `Per keystroke at ${largest.toLocaleString('en-US')} (task, median of runs and rounds; rows in the picker): ` +
      PICKER_KEYSTROKES.map((value, i) => {
        const runs = (results[results.length - 1] as SizeResult).runs;
        const task = median(runs.flatMap((x) => x.pickerKeys.filter((_k, at) => at % PICKER_KEYSTROKES.length === i).map((k) => k.taskMs)));
        return `\`${value}\` ${ms(task)} (${runs[0]?.pickerKeys[i]?.rows ?? 0})`;
      }).join(', ') +
      '.',
    '',
    ...results.map((r) => {
      const target = r.size === 10_000 ? PICKER_P95_TARGET_MS.small : PICKER_P95_TARGET_MS.large;
      const first = r.runs.flatMap((x) => x.pickerKeys.slice(0, PICKER_KEYSTROKES.length).map((k) => k.taskMs));
      const later = r.runs.flatMap((x) => x.pickerKeys.slice(PICKER_KEYSTROKES.length).map((k) => k.taskMs));
      const over = (samples: number[]) => `${samples.filter((t) => t >= target).length} of ${samples.length}`;
      return (
        `- ${r.size.toLocaleString('en-US')}: task p95 ${ms(percentile(first, 95))} in the first round, ${ms(percentile(later, 95))} in the later ones; ` +
        `keystrokes at or over the ${target} ms target: ${over(first)} in the first round, ${over(later)} in the later ones.`
      );
    }),
    '',
    "What a keystroke costs (profiles of this page, 23 Nov 2026): at 10k a warm keystroke is ~2 ms, the search (`store.search(query, 200)`) under 1 ms and Lit updating the ~11 options in view the rest; at 100k the search is most of it (4–7 ms for the `nguyen` queries, 24k matches ranked by score then name). The slow ones are the page's first searches, and keystrokes during which a minor GC or another task ran before the task ended. A fresh page's searches run code V8 has not optimised yet: without the search index's warm-up (components/store/README.md, \"Warm-up\": ten short searches in the page's first idle periods once the name order is ready, which this page has before the picker opens), the first `n` of a page took ~10 ms at 10k and its round's p95 was ~4.4 ms; with it, ~7 ms (most of it the first render of the option rows) and ~2.7 ms (7 Dec 2026, 3 runs). The picker now also renders a few searches' options once, unseen, in the page's first idle period (`warmUpOptions`): in back-to-back runs of 3 pages at 10k the first round's p95 went from 4.6 to 3.5 ms, its keystrokes at or over 4 ms from 6 to 3 of 66 (7 Dec 2026). Style, layout and paint of the new options come after the task, in the frame (4–6 ms of main-thread work at either size, in Chrome traces), which the painted columns include.",
  );
  const profileParts: Array<[string, ProfileSummary | undefined]> = [
    ['mounting the list (first rows)', profiles?.mount],
    [`scrolling ${STEADY.stepPx} px/frame for ${STEADY.durationMs / 1000} s`, profiles?.steady],
    [`the fling (${FLING.stepPx} px/frame for ${FLING.durationMs / 1000} s)`, profiles?.fling],
    [`typing the ${KEYSTROKES.length} keystrokes (including the ${KEY_PAUSE_MS} ms pauses, which are idle; without the row checks)`, profiles?.typing],
  ];
  const steadyTrace = profiles?.steadyTrace;
  const flingTrace = profiles?.flingTrace;
  if (steadyTrace?.frames && flingTrace?.frames) {
    const perFrame = (trace: MainThreadTrace, name: string) => (trace.byEvent.find(([n]) => n === name)?.[1] ?? 0) / trace.frames;
    const names = [...new Set([...steadyTrace.byEvent.slice(0, 10), ...flingTrace.byEvent.slice(0, 10)].map(([n]) => n))];
    names.sort((a, b) => perFrame(flingTrace, b) + perFrame(steadyTrace, b) - perFrame(flingTrace, a) - perFrame(steadyTrace, a));
    const busy = (trace: MainThreadTrace) => trace.byEvent.reduce((sum, [, t]) => sum + t, 0) / trace.frames;
    parts.push(
      '',
      `### Main thread per frame while scrolling at ${largest.toLocaleString('en-US')} (Chrome trace)`,
      '',
      `One extra run traced (categories devtools.timeline, v8, toplevel; no profiler): ${steadyTrace.frames} frames in ${ms(steadyTrace.spanMs)} at ${STEADY.stepPx} px/frame, ` +
        `${flingTrace.frames} frames in ${ms(flingTrace.spanMs)} at ${FLING.stepPx} px/frame. Exclusive time per trace event (time inside a nested event is charged to that event) divided by frames: ` +
        "`FunctionCall`, `v8.callFunction`, `FireAnimationFrame`, `EventDispatch` and `RunMicrotasks` are script (this harness's rAF callback included), " +
        '`UpdateLayoutTree` is style, `Layout` layout, `PrePaint`/`Paint`/`Layerize`/`UpdateLayer`/`Commit` paint and hand-over to the compositor, `ThreadControllerImpl::RunTask` work the trace does not break down further.',
      '',
      table(
        ['trace event', `${STEADY.stepPx} px/frame: per frame`, `fling ${FLING.stepPx} px/frame: per frame`],
        [
          ...names.map((name) => [`\`${name}\``, ms(perFrame(steadyTrace, name)), ms(perFrame(flingTrace, name))]),
          ['**all traced main-thread work**', `**${ms(busy(steadyTrace))}**`, `**${ms(busy(flingTrace))}**`],
        ],
      ),
    );
  }
  for (const [what, summary] of profileParts) {
    if (!summary) continue;
    parts.push(
      '',
      `### Profile at ${largest.toLocaleString('en-US')}: ${what}`,
      '',
      "One extra run, the page's main thread sampled through the DevTools protocol (250 µs) over this phase only.",
      '',
      profileMarkdown(summary),
    );
  }
  return { title: 'List scrolling (browser)', markdown: parts.join('\n'), targets };
}

if (isMain(import.meta.url)) {
  const sizes = argValue('--sizes')?.split(',').map(Number);
  const runs = argValue('--runs');
  await runStandalone('list-scroll', 'bench/list-scroll.ts', () =>
    benchListScroll({ ...(sizes ? { sizes } : {}), ...(runs ? { runs: Number(runs) } : {}), profile: !process.argv.includes('--no-profile') }),
  );
}
