// Preloaded (`node --expose-gc --import bench/sync/gc-probe.mjs ...`) into each server that
// bench/sync.ts measures: on SIGUSR2 it runs full collections and prints one JSON line with the
// process' memory, so memory per store can be read without garbage that is merely uncollected.
// Plain JavaScript because it must load the same way into servers that run without tsx.
process.on('SIGUSR2', () => {
  const gc = globalThis.gc;
  if (typeof gc === 'function') {
    // The first collection can leave weakly held objects for the second.
    gc();
    gc();
  }
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  process.stderr.write(JSON.stringify({ benchMemory: { rss, heapUsed, external, arrayBuffers } }) + '\n');
});
