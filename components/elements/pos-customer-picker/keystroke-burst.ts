/**
 * Tells a barcode scanner from a person. A scanner "types" a whole code with every key a few
 * milliseconds after the previous one and ends it with Enter; a person is far slower between keys.
 */
export class KeystrokeBurst {
  private text = '';
  private lastAt = Number.NEGATIVE_INFINITY;

  /** @param maxGap - The longest pause, in ms, between two keys of one scan. */
  constructor(private readonly maxGap: () => number) {}

  /** Records a printable key; a pause longer than the gap starts a new burst. */
  key(char: string, at: number): void {
    if (at - this.lastAt > this.maxGap()) this.text = '';
    this.text += char;
    this.lastAt = at;
  }

  /** Ends the burst at Enter: its text if Enter came without a pause, '' if a person was typing. */
  end(at: number): string {
    const text = at - this.lastAt <= this.maxGap() ? this.text : '';
    this.reset();
    return text;
  }

  reset(): void {
    this.text = '';
    this.lastAt = Number.NEGATIVE_INFINITY;
  }
}
