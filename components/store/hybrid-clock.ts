/**
 * A hybrid logical clock: wall time in microseconds, bumped past anything seen, so a write made after
 * seeing another always stamps higher, while stamps stay close to real time for "latest wins" rules.
 * Microseconds (not ms) keep a burst of thousands of writes from running the clock ahead of real time.
 */
export class HybridClock {
  private last = 0;

  constructor(private readonly wallMicros: () => number = () => Date.now() * 1000) {}

  /** A fresh stamp, greater than every stamp this clock has issued or observed. */
  tick(): number {
    this.last = Math.max(this.wallMicros(), this.last + 1);
    return this.last;
  }

  /**
   * Takes in a stamp written by another till. Stamps more than a day ahead of our wall clock come
   * from a till with a broken clock and would otherwise drag every later write of ours with them.
   */
  observe(stamp: number): void {
    if (stamp > this.last && stamp < this.wallMicros() + 86_400e6) this.last = stamp;
  }
}
