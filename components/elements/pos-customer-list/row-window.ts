import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Rows rendered beyond each edge of the view: what one frame of a brisk scroll uncovers before the scroll event arrives. */
const MARGIN_ROWS = 6;
/** Until a rendered row has been measured: the list's default row height (3.25rem at 16px). */
const DEFAULT_ROW_PX = 52;

/**
 * Which rows of a long list of equal-height rows are in the DOM: those in the scroller's view plus a
 * margin. The host renders a sizer `totalPx` high with the rows `first…end` in one block moved down by
 * `offsetPx`, and calls `observe` with the scroller and that block once they exist.
 *
 * Why not @lit-labs/virtualizer (the picker's): it measures every row it renders with a ResizeObserver
 * and rewrites five inline styles on every rendered row whenever the range moves, so at 100,000
 * customers 7% of frames came late while scrolling (bench/results/list-scroll.md). Rows of one height
 * need neither: one transform places them all, and one ResizeObserver on the block learns the height.
 */
export class RowWindow implements ReactiveController {
  /** The first row rendered. */
  first = 0;
  /** One past the last row rendered. */
  end = 0;
  private rowPx = DEFAULT_ROW_PX;
  private viewportPx = 0;
  private scroller: HTMLElement | undefined;
  private block: HTMLElement | undefined;
  private readonly resized = new ResizeObserver(() => this.measure());

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly count: () => number,
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

  hostDisconnected(): void {
    this.resized.disconnect();
    this.scroller = undefined;
    this.block = undefined;
  }

  /** Called after each render with the scroller and the block of rows (or undefined when there are no rows). */
  observe(scroller: HTMLElement | undefined, block: HTMLElement | undefined): void {
    if (scroller === this.scroller && block === this.block) return;
    this.resized.disconnect();
    this.scroller = scroller;
    this.block = block;
    if (scroller) this.resized.observe(scroller);
    if (block) this.resized.observe(block);
  }

  readonly onScroll = (): void => {
    if (this.place()) this.host.requestUpdate();
  };

  /** Scrolls the least distance that shows row `index` whole, and renders it now. */
  reveal(index: number): void {
    const scroller = this.scroller;
    if (!scroller) return;
    const top = index * this.rowPx;
    if (top < scroller.scrollTop) scroller.scrollTop = top;
    else if (top + this.rowPx > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = top + this.rowPx - scroller.clientHeight;
    if (this.place()) this.host.requestUpdate();
  }

  /** Sizes read after layout (no forced layout): the view's height, and a row's from the block's. */
  private measure(): void {
    const scroller = this.scroller;
    const block = this.block;
    if (!scroller) return;
    this.viewportPx = scroller.clientHeight;
    const rendered = block?.childElementCount ?? 0;
    if (block && rendered > 0 && block.offsetHeight > 0) this.rowPx = block.offsetHeight / rendered;
    if (this.place()) this.host.requestUpdate();
  }

  /** Works out the range for the current scroll position; true when it changed. */
  private place(): boolean {
    const count = this.count();
    const top = this.scroller?.scrollTop ?? 0;
    // Before the first measurement, enough rows for any screen; the ResizeObserver trims them.
    const viewport = this.viewportPx || 1200;
    const first = Math.max(0, Math.min(count, Math.floor(top / this.rowPx) - MARGIN_ROWS));
    const end = Math.min(count, Math.ceil((top + viewport) / this.rowPx) + MARGIN_ROWS);
    if (first === this.first && end === this.end) return false;
    this.first = first;
    this.end = end;
    return true;
  }
}
