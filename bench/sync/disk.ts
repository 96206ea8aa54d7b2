/**
 * What one durable write costs on this machine's disk, measured the way our server writes: a small
 * LevelDB batch with and without `sync`. It explains the gap between ours with and without fsync.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';

export interface DiskProbe {
  syncWritesMs: number[];
  plainWritesMs: number[];
}

export async function probeDisk(writes: number): Promise<DiskProbe> {
  const dir = mkdtempSync(join(tmpdir(), 'pos-bench-disk-'));
  const db = new ClassicLevel<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' });
  try {
    await db.open();
    const value = new Uint8Array(120).fill(7);
    const run = async (sync: boolean): Promise<number[]> => {
      const times: number[] = [];
      for (let i = 0; i < writes; i++) {
        const key = new TextEncoder().encode(`${sync ? 's' : 'p'}${i}`);
        const t0 = performance.now();
        await db.batch([{ type: 'put', key, value }], { sync });
        times.push(performance.now() - t0);
      }
      return times;
    };
    const plainWritesMs = await run(false);
    const syncWritesMs = await run(true);
    return { syncWritesMs, plainWritesMs };
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
