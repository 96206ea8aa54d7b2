import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Rows rendered beyond each edge of the view by default: what one frame of a brisk scroll uncovers before the scroll event arrives. */
const MARGIN_ROWS = 6;
/** Until a rendered row has been measured: the list's default row height (3.25rem at 16px). */
const DEFAULT_ROW_PX = 52;
/** Animation frames the scroll offset is still followed after it last moved. */
const FOLLOW_FRAMES = 3;

/**
 * Which rows of a long list of equal-height rows are in the DOM: those in the scroller's view plus a
 * margin. The host renders a sizer `totalPx` high with the rows `first…end` in one block moved down by
 * `offsetPx`, and calls `observe` with the scroller and that block once they exist.
 *
 * The customer list and the picker's options use it. Why not @lit-labs/virtualizer: it measures every
 * row it renders with a ResizeObserver and rewrites five inline styles on every rendered row whenever the
 * range moves, so at 100,000 customers 7% of frames came late while scrolling the list; and on each new
 * search it read the layout back while the picker's task was still running (a forced layout of the
 * panel), which with its measuring came to ~5 ms of every 10k keystroke (bench/results/list-scroll.md).
 * Rows of one height need neither: one transform places them all, and one ResizeObserver on the block
 * learns the height.
 *
 * While the view scrolls, the offset is also read in an animation-frame callback each frame: a scroll
 * event reports a move one frame after it was painted, so a drag faster than the margin per frame would
 * otherwise show each frame's rows where the previous frame was, and the view blank. Moves the margin
 * covers are left to the scroll event, so a steady scroll renders once a frame, outside the frame's work.
 */
export class RowWindow implements ReactiveController {
  /** The first row rendered. */
  first = 0;
  /** One past the last row rendered. */
  end = 0;
  private rowPx = DEFAULT_ROW_PX;
  private viewportPx = 0;
  /** The scroller's offset as last read in a scroll event or set here: reading it while rendering could force a layout. */
  private scrollTop = 0;
  private scroller: HTMLElement | undefined;
  private block: HTMLElement | undefined;
  private readonly resized = new ResizeObserver((entries) => this.measure(entries));
  /** Frames left to follow the scroll offset for; 0 when no frame callback is pending. */
  private followFrames = 0;
  /** `scrollTop` moved here (reveal) and is written to the scroller once the host has rendered the sizer for it. */
  private scrollPending = false;

  /** `marginRows`: rows rendered beyond each edge of the view. */
  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly count: () => number,
    private readonly marginRows = MARGIN_ROWS,
  ) {
    host.addController(this);
  }

  get totalPx(): number {
    return this.count() * this.rowPx;
  }

  get offsetPx(): number {
    return this.first * this.rowPx;
  }

  hostUpdate(): void {
    this.place();
  }

  hostUpdated(): void {
    const scroller = this.scroller;
    if (!this.scrollPending || !scroller) return;
    this.scrollPending = false;
    scroller.scrollTop = this.scrollTop;
    this.settleScroll(scroller);
  }

  hostDisconnected(): void {
    this.resized.disconnect();
    this.scroller = undefined;
    this.block = undefined;
  }

  /**
   * Called after each render with the scroller and the block of rows (or undefined when there are no
   * rows). A new scroller (the picker's list shown again after its form) starts at the offset the rows
   * were placed for.
   */
  observe(scroller: HTMLElement | undefined, block: HTMLElement | undefined): void {
    if (scroller === this.scroller && block === this.block) return;
    const newScroller = scroller !== this.scroller;
    this.resized.disconnect();
    this.scroller = scroller;
    this.block = block;
    if (scroller) this.resized.observe(scroller);
    if (block) this.resized.observe(block);
    if (!newScroller || !scroller || this.scrollTop === 0) return;
    scroller.scrollTop = this.scrollTop;
    this.settleScroll(scroller);
  }

  /** Takes the offset the scroller really has (a short list clamps it) and re-renders if that moves the range. */
  private settleScroll(scroller: HTMLElement): void {
    if (scroller.scrollTop === this.scrollTop) return;
    this.scrollTop = scroller.scrollTop;
    if (this.place()) this.host.requestUpdate();
  }

  readonly onScroll = (): void => {
    this.sync(false);
    if (this.followFrames === 0) requestAnimationFrame(this.follow);
    this.followFrames = FOLLOW_FRAMES;
  };

  private readonly follow = (): void => {
    if (this.sync(true)) this.followFrames = FOLLOW_FRAMES;
    if (--this.followFrames > 0) requestAnimationFrame(this.follow);
  };

  /**
   * Reads the scroll offset and re-renders if that moves the range (with `uncoveredOnly`, only if the
   * rows rendered no longer cover the view); true when the offset moved.
   */
  private sync(uncoveredOnly: boolean): boolean {
    // No scroller while the host shows something else (the picker's form): the offset is kept for its return.
    if (!this.scroller) return false;
    const top = this.scroller.scrollTop;
    if (top === this.scrollTop) return false;
    const covered = top >= this.first * this.rowPx && Math.min(top + this.viewportPx, this.totalPx) <= this.end * this.rowPx;
    if (uncoveredOnly && covered) return true;
    this.scrollTop = top;
    if (this.place()) this.host.requestUpdate();
    return true;
  }

  /** Back to the first row (another search or order), before the host renders. */
  toTop(): void {
    if (this.scroller && this.scrollTop > 0) this.scroller.scrollTop = 0;
    this.scrollTop = 0;
  }

  /**
   * Scrolls the least distance that shows row `index` whole, and renders it now: the rows are placed
   * before the host renders, the scroller moved after (when its sizer has the height for it).
   */
  reveal(index: number): void {
    // Not measured yet (a list just shown again): there is no view to bring the row into.
    if (!this.scroller || !this.viewportPx) return;
    const top = index * this.rowPx;
    const before = this.scrollTop;
    if (top < this.scrollTop) this.scrollTop = top;
    else if (top + this.rowPx > this.scrollTop + this.viewportPx) this.scrollTop = top + this.rowPx - this.viewportPx;
    if (this.scrollTop === before) return;
    this.scrollPending = true;
    this.place();
    this.host.requestUpdate();
  }

  /**
   * The view's height and a row's (the block's over its rows), from the observer's entries: nothing is
   * read from the DOM. A change re-renders on the next frame, as a render from inside the observer's
   * callback would resize what it observes in the same frame (a "ResizeObserver loop" error).
   */
  private measure(entries: readonly ResizeObserverEntry[]): void {
    const before = { rowPx: this.rowPx, viewportPx: this.viewportPx };
    for (const entry of entries) {
      const height = entry.borderBoxSize[0]?.blockSize ?? entry.contentRect.height;
      if (entry.target === this.scroller) this.viewportPx = entry.contentRect.height;
      else if (entry.target === this.block && height > 0 && this.block.childElementCount > 0) this.rowPx = height / this.block.childElementCount;
    }
    if (this.rowPx !== before.rowPx || this.viewportPx !== before.viewportPx)
      requestAnimationFrame(() => {
        if (this.place()) this.host.requestUpdate();
      });
  }

  /** Works out the range for the current scroll position; true when it changed. */
  private place(): boolean {
    const count = this.count();
    const top = this.scrollTop;
    // Before the first measurement, enough rows for any screen; the ResizeObserver trims them.
    const viewport = this.viewportPx || 1200;
    const first = Math.max(0, Math.min(count, Math.floor(top / this.rowPx) - this.marginRows));
    const end = Math.min(count, Math.ceil((top + viewport) / this.rowPx) + this.marginRows);
    if (first === this.first && end === this.end) return false;
    this.first = first;
    this.end = end;
    return true;
  }
}
