import { LitElement, html, nothing, render, svg, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { styleMap } from 'lit/directives/style-map.js';
import { StoreController } from '../../controllers/store-controller.js';
import type { PosEvent } from '../../events/pos-events.js';
import { strings } from '../../i18n/strings.js';
import type { Customer, CustomerInput } from '../../model/customer.js';
import { displayName } from '../../model/display-name.js';
import type { CustomerLookup } from '../../store/customer-lookup.js';
import type { CustomerStore, StoreChange } from '../../store/customer-store.js';
import { hasIdlePeriods, whenIdle } from '../../store/idle.js';
import { RecentCustomers, recentCustomersKey } from '../../store/recent-customers.js';
import { fold, matchSpans } from '../../store/search-text.js';
import { PosElement } from '../pos-element.js';
import { RowWindow } from '../shared/row-window.js';
import { KeystrokeBurst } from './keystroke-burst.js';
import { prefillFromQuery } from './prefill-from-query.js';
import { customerPickerStyles } from './pos-customer-picker.styles.js';

/**
 * The form (with its validation and address editor) is only needed to create a customer on the spot: it
 * is fetched when the panel first opens, not with the picker, which keeps the sell screen's first load small.
 */
const loadForm = () => import('../pos-customer-form/pos-customer-form.js');

type ListItem = { kind: 'customer'; id: string } | { kind: 'create' };

/** What the list shows: search results (or this till's recent customers) and the create action last. */
interface Listing {
  items: ListItem[];
  /** Customer rows in `items`. */
  shown: number;
  /** Customers matching in all (the search stops at `limit`). */
  total: number;
  recent: boolean;
}

const MODIFIER_KEYS = new Set(['Shift', 'CapsLock', 'AltGraph']);
const CREATE: ListItem = { kind: 'create' };
const EMPTY_LISTING: Listing = { items: [], shown: 0, total: 0, recent: true };
const keyOf = (item: ListItem) => (item.kind === 'create' ? '' : item.id);
const optionId = (index: number) => `option-${index}`;
/** Searches whose options are rendered unseen in an idle period, so that a page's first search finds the option code warm (see warmUpOptions). */
const WARM_UP_QUERIES = ['a', 'n', 'ma', 'ng', 'e', 'an', '0'];
const WARM_UP_ROWS = 12;
/** The idle time one warm-up search and render waits for. */
const WARM_UP_MIN_IDLE_MS = 10;
/** A page kept busy gets no warm-up rather than one that takes time from anything else. */
const WARM_UP_TRIES = 5;
/** Lit prepares a template once per page and V8 compiles per page, so one picker's warm-up serves them all. */
let optionsWarmedUp = false;

const personIcon = svg`<path d="M12 12a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9Zm0 2c-4.4 0-8 2.2-8 5v2h16v-2c0-2.8-3.6-5-8-5Z" />`;
const chevronIcon = svg`<path d="m7 10 5 5 5-5" fill="none" stroke="currentColor" stroke-width="2" />`;
const closeIcon = svg`<path d="m6 6 12 12M18 6 6 18" fill="none" stroke="currentColor" stroke-width="2" />`;
const plusIcon = svg`<path d="M12 5v14M5 12h14" fill="none" stroke="currentColor" stroke-width="2" />`;
const icon = (shape: TemplateResult, part?: string) =>
  html`<svg part=${part ?? nothing} class="icon" viewBox="0 0 24 24" fill="currentColor" aria-hidden="true" focusable="false">${shape}</svg>`;

/** `text` with the parts the query matched in <mark>, built from text nodes only (never parsed as HTML). */
function highlighted(text: string, query: string): TemplateResult | string {
  const spans = matchSpans(text, query);
  if (!spans.length) return text;
  const parts: Array<TemplateResult | string> = [];
  let at = 0;
  for (const [start, end] of spans) {
    parts.push(text.slice(at, start), html`<mark part="match">${text.slice(start, end)}</mark>`);
    at = end;
  }
  parts.push(text.slice(at));
  return html`${parts}`;
}

/**
 * @summary The cart's customer: a button showing who is chosen that opens a search panel — type a name,
 * phone (any format), email or card number, pick with the keyboard, scan a loyalty card, or create the
 * customer on the spot.
 *
 * With an empty search the list shows the customers most recently chosen on this till. Keys in the
 * search field (a WAI-ARIA combobox): ArrowDown / ArrowUp move through the options (wrapping; from no
 * option they go to the first / last), Home / End jump to the first / last option once one is active
 * (before that they move the caret), Enter chooses the active option — or, with none active, the card
 * whose barcode was typed or the only match. Escape clears a non-empty search, then closes the panel.
 * A scanner's burst of keys ending in Enter chooses that card's customer at once, in the search field
 * or on the closed button; other keys typed on the button open the panel searching for them.
 *
 * While its <pos-customers> is still opening, the picker searches the customers the till saved with its
 * open snapshot; a customer chosen then is put on the sale once the store is ready (the status says
 * "Opening the customer…"; typing or closing the panel drops that choice).
 *
 * @event pos-customer-select - A customer was chosen (`detail.customer`), or the choice was reset to
 *   the walk-in customer (or `null` when the store has none) — also when the chosen customer is deleted.
 *   When the chosen customer is merged into another (on any till), the choice moves to that customer.
 * @event pos-customer-create-request - The cashier asked to create a customer from the search text
 *   (`detail.query`). Cancel it to create the customer your own way; the panel then closes. Otherwise
 *   the picker shows a <pos-customer-form> filled in from the query, and chooses the customer it saves
 *   (whose `pos-customer-save` also reaches the page).
 *
 * @csspart button - The button showing the chosen customer.
 * @csspart icon - The person icon in the button.
 * @csspart label - The chosen customer's name in the button.
 * @csspart button-group - The chosen customer's group in the button ("VIP"), when they are in one.
 * @csspart moved-note - Under the button, after the chosen customer was deleted or merged (on any till):
 *   says so, until the cashier chooses again.
 * @csspart dialog - The search panel (a modal dialog).
 * @csspart header - The panel's title bar.
 * @csspart title - The panel's title.
 * @csspart close-button - The panel's close button.
 * @csspart search - The search field.
 * @csspart status - The match count / list heading.
 * @csspart listbox - The scrolling list of options.
 * @csspart option - Every option; also `customer-option`, `invalid-option`, `create-option`, `active`.
 * @csspart option-name - A customer's name in an option (the create option's label; an invalid record's id).
 * @csspart option-details - A customer's phone and email in an option (an invalid record's problem).
 * @csspart option-group - A customer's group badge.
 * @csspart option-presence - "Open on Till 2": another till has this customer open in its form.
 * @csspart match - The highlighted part of a name or email that matches the search.
 * @csspart footer - The bar under the list.
 * @csspart walk-in-button - Resets the choice to the walk-in customer (or clears it).
 * @csspart form - The <pos-customer-form> shown to create a customer.
 *
 * @cssprop --pos-picker-width - Width of the panel (default min(34rem, 100vw - 2rem)).
 * @cssprop --pos-picker-height - Height of the panel (default min(40rem, 100dvh - 2rem)).
 * @cssprop --pos-picker-option-height - Height of every option in the list (default max(touch target, 3.5em)); raise it for larger text.
 * @cssprop --pos-backdrop - What covers the page behind the panel.
 * @cssprop --pos-highlight - Background of the matched text.
 * @cssprop --pos-highlight-text - Colour of the matched text.
 * @cssprop --pos-option-active - Background of the active option.
 */
@customElement('pos-customer-picker')
export class PosCustomerPicker extends PosElement {
  static override styles = [PosElement.baseStyles, customerPickerStyles];
  static override shadowRootOptions = { ...LitElement.shadowRootOptions, delegatesFocus: true };

  /** The chosen customer's id ('' for none: the button then shows the walk-in customer, if the store has one). */
  @property({ reflect: true }) value = '';
  /** Whether the search panel is open. */
  @property({ type: Boolean, reflect: true }) open = false;
  /** The button cannot be used (the sale is being paid, say). */
  @property({ type: Boolean, reflect: true }) disabled = false;
  /** The most results listed for a search; the count says how many match in all. */
  @property({ type: Number }) limit = 200;
  /** The longest pause in ms between two keys of a barcode scan; slower typing is a person's. */
  @property({ type: Number, attribute: 'scan-interval' }) scanInterval = 50;

  @state() private query = '';
  @state() private activeIndex = -1;
  @state() private view: 'search' | 'create' = 'search';
  @state() private prefill: Partial<CustomerInput> = {};
  /** The customer the choice moved from without the cashier (deleted or merged on some till), told under the button. */
  @state() private movedFrom: { name: string; reason: 'deleted' | 'merged' } | undefined;

  @query('#button') private button?: HTMLButtonElement;
  @query('dialog') private dialog?: HTMLDialogElement;
  @query('#search') private input?: HTMLInputElement;

  private readonly store = new StoreController(this, {
    onAttach: (handle) => {
      this.listingStale = true;
      if (!optionsWarmedUp && hasIdlePeriods()) void handle.whenReady.then(() => whenIdle((timeLeft) => this.warmUpOptions(handle.store, timeLeft)));
    },
    onChange: (change) => this.noteChange(change),
    relevant: (change) => change.settings || change.groups || change.customers.has(this.value) || this.listingStale || this.selectionGone,
  });
  private recentList: { key: string; list: RecentCustomers } | undefined;
  /** Where the listing was read from: the snapshot's preview, then the store once it is ready. */
  private listedFrom: CustomerLookup | undefined;
  /** A customer chosen from the preview, before the store was ready: chosen from the store once it is. */
  @state() private pendingChoice: string | undefined;
  private listing: Listing = EMPTY_LISTING;
  /**
   * The options in the DOM: those in view, and two either side. Every option rendered is a customer read
   * and validated on each keystroke, and this list is moved by keys and the wheel, not flung as the
   * back office's is.
   */
  private readonly rowWindow = new RowWindow(this, () => this.listing.items.length, 2);
  private listingStale = true;
  /** The chosen customer was deleted or merged (here or on another till): move to the survivor, or the walk-in customer. */
  private selectionGone = false;
  private readonly burst = new KeystrokeBurst(() => this.scanInterval);
  /** Keys typed on the closed button, waiting to tell a scan (Enter follows at once) from a search. */
  private buttonKeys = '';
  private buttonKeysTimer: ReturnType<typeof setTimeout> | undefined;

  /** Opens the search panel with an empty search (this till's recent customers). */
  show(): void {
    this.openWith('');
  }

  /** Closes the panel and puts focus back on the button. */
  hide(): void {
    this.open = false;
    this.syncDialog();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.buttonKeysTimer);
  }

  protected override willUpdate(changed: PropertyValues): void {
    // Merges and deletions are known only to a store that holds every customer.
    const store = this.store.ready ? this.store.store : undefined;
    if (store && this.pendingChoice !== undefined) {
      const id = this.pendingChoice;
      this.pendingChoice = undefined;
      this.choose(id);
    }
    // A host restoring a cart may hand over the id of a customer merged away since.
    if (store && this.value && changed.has('value') && store.resolveCustomerId(this.value) !== this.value) this.selectionGone = true;
    if (this.selectionGone && store) {
      this.selectionGone = false;
      // Merged into another customer (here or on another till): the sale follows the survivor.
      const previous = this.value ? store.get(this.value) : undefined;
      const survivorId = this.value ? store.resolveCustomerId(this.value) : '';
      const survivor = survivorId !== this.value ? store.get(survivorId) : undefined;
      const next = survivor && !survivor.deleted ? survivor : (store.defaultCustomer() ?? null);
      this.value = next?.id ?? '';
      const reason = survivor && !survivor.deleted ? 'merged' : 'deleted';
      this.movedFrom = previous ? { name: displayName(previous), reason } : undefined;
      this.emit('pos-customer-select', previous ? { customer: next, reason, previous } : { customer: next });
    }
    if (changed.has('open') && !this.open) {
      this.pendingChoice = undefined;
      this.query = '';
      this.view = 'search';
      this.activeIndex = -1;
    }
    if (changed.has('query')) this.pendingChoice = undefined;
    const lookup = this.store.lookup;
    if (this.open && (this.listingStale || lookup !== this.listedFrom || changed.has('query') || changed.has('open') || changed.has('limit'))) {
      const activeKey = this.listing.items[this.activeIndex];
      this.listing = lookup ? this.listingFor(lookup) : EMPTY_LISTING;
      this.listedFrom = lookup;
      this.listingStale = false;
      // A new search starts with no active option at the top; a live refresh keeps the one the cashier was on.
      this.activeIndex = changed.has('query') || !activeKey ? -1 : this.listing.items.findIndex((item) => keyOf(item) === keyOf(activeKey));
      if (changed.has('query') || changed.has('open')) this.rowWindow.toTop();
    }
    if (changed.has('activeIndex') && this.activeIndex >= 0) this.rowWindow.reveal(this.activeIndex);
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('open')) this.syncDialog();
    this.rowWindow.observe(
      this.renderRoot.querySelector<HTMLElement>('[part="listbox"]') ?? undefined,
      this.renderRoot.querySelector<HTMLElement>('.options') ?? undefined,
    );
    if (changed.has('view') && this.open) {
      if (this.view === 'create') void this.focusForm();
      else this.input?.focus();
    }
  }

  protected override render() {
    const t = strings();
    return html`
      <button
        id="button"
        part="button"
        type="button"
        aria-haspopup="dialog"
        aria-expanded=${this.open ? 'true' : 'false'}
        ?disabled=${this.disabled}
        @click=${this.show}
        @keydown=${this.onButtonKeydown}
      >
        ${icon(personIcon, 'icon')}
        <span part="label" class="label">${this.buttonLabel()}</span>
        ${this.buttonGroup()}
        <span class="visually-hidden">, ${t.changeCustomer}</span>
        ${icon(chevronIcon)}
      </button>
      ${this.movedFrom ? html`<p part="moved-note" class="moved-note" role="status">${t.choiceMoved(this.movedFrom.name, this.movedFrom.reason)}</p>` : nothing}
      <dialog part="dialog" aria-labelledby="title" @keydown=${this.onDialogKeydown} @cancel=${this.onDialogCancel}>
        <div part="header" class="header">
          <h2 id="title" part="title">${t.chooseCustomer}</h2>
          <button part="close-button" class="icon-button" type="button" aria-label=${t.close} @click=${this.hide}>${icon(closeIcon)}</button>
        </div>
        ${this.view === 'create' ? this.renderForm() : this.renderSearch()}
      </dialog>
    `;
  }

  private renderSearch() {
    const t = strings();
    const lookup = this.store.lookup;
    const { items, recent, shown, total } = this.listing;
    const listed = recent ? (shown ? t.recentCustomers : t.noRecentCustomers) : shown ? t.resultsCount(shown, total) : t.noMatches;
    const status = !lookup ? t.noStore : this.pendingChoice !== undefined ? t.openingCustomer : listed;
    const defaultCustomer = lookup?.defaultCustomer();
    return html`
      <div class="search">
        <label for="search" class="visually-hidden">${t.searchLabel}</label>
        <input
          id="search"
          part="search"
          type="text"
          role="combobox"
          autocomplete="off"
          autocapitalize="off"
          spellcheck="false"
          enterkeyhint="go"
          placeholder=${t.searchCustomers}
          aria-autocomplete="list"
          aria-controls="listbox"
          aria-expanded=${items.length ? 'true' : 'false'}
          aria-activedescendant=${this.activeIndex >= 0 ? optionId(this.activeIndex) : nothing}
          .value=${live(this.query)}
          @input=${this.onInput}
          @keydown=${this.onInputKeydown}
        />
      </div>
      <p id="status" part="status" class="status" role="status">${status}</p>
      <div
        id="listbox"
        part="listbox"
        role="listbox"
        aria-label=${recent ? t.recentCustomers : t.searchResults}
        @scroll=${this.rowWindow.onScroll}
        @mousedown=${this.keepFocus}
        @click=${this.onOptionClick}
      >
        <div class="sizer" style=${styleMap({ height: `${this.rowWindow.totalPx}px` })}>
          <div class="options" style=${styleMap({ transform: `translateY(${this.rowWindow.offsetPx}px)` })}>
            ${items.slice(this.rowWindow.first, this.rowWindow.end).map((item, i) => this.renderOption(item, this.rowWindow.first + i))}
          </div>
        </div>
      </div>
      ${
        defaultCustomer || this.value
          ? html`<div part="footer" class="footer">
              <button part="walk-in-button" type="button" @click=${() => (defaultCustomer ? this.choose(defaultCustomer.id) : this.select(null))}>
                ${defaultCustomer ? t.walkInCustomer : t.clearCustomer}
              </button>
            </div>`
          : nothing
      }
    `;
  }

  /** One option, in one template whatever it shows, so a new search rewrites the text of the rows in the DOM rather than replacing them. */
  private renderOption(item: ListItem, index: number, query = this.query): TemplateResult {
    const t = strings();
    const active = index === this.activeIndex;
    const lookup = this.store.lookup;
    const read = item.kind === 'customer' ? lookup?.read(item.id) : undefined;
    let kind = 'customer-option';
    let name: TemplateResult | string;
    let details: TemplateResult | string = '';
    let badges: TemplateResult | typeof nothing = nothing;
    if (item.kind === 'create') {
      kind = 'create-option';
      name = html`${icon(plusIcon)}${query.trim() ? t.createNamed(query.trim()) : t.createNew}`;
    } else if (!read?.ok) {
      kind = 'invalid-option';
      name = `${t.invalidRecordLabel} · ${item.id}`;
      details = read?.problems[0] ?? '';
    } else {
      const { customer } = read;
      const group = customer.groupId ? lookup?.group(customer.groupId) : undefined;
      const openOn = this.store.tillsEditing(customer.id);
      name = highlighted(displayName(customer), query);
      details = html`${customer.phone}${customer.phone && customer.email ? ' · ' : ''}${customer.email ? highlighted(customer.email, query) : ''}`;
      if (group || openOn.length)
        badges = html`${group ? html`<span part="option-group" class="group">${group.name}</span>` : nothing}${
          openOn.length ? html`<span part="option-presence" class="presence">${t.openOn(t.tillNames(openOn.map((peer) => peer.tillName)))}</span>` : nothing
        }`;
    }
    return html`<div
      role="option"
      id=${optionId(index)}
      data-index=${index}
      class="option ${kind}"
      part="option ${kind}${active ? ' active' : ''}"
      aria-setsize=${this.listing.items.length}
      aria-posinset=${index + 1}
      aria-selected=${active ? 'true' : 'false'}
      aria-disabled=${kind === 'invalid-option' ? 'true' : nothing}
    >
      <span part="option-name" class="name">${name}</span>
      <span part="option-details" class="details">${details}</span>
      <span class="badges">${badges}</span>
    </div>`;
  }

  /**
   * A fresh page's first search took ~7 ms at 10k customers where the same one later takes ~1.5 ms, most
   * of it the options' first render: Lit preparing their templates and V8 compiling the code that fills
   * them. Rendering the options of a few searches once, into a fragment no one sees, in an idle period,
   * once the store is ready, does that before the cashier types. Like the search index's own warm-up, it
   * is skipped where there are no idle periods.
   */
  private warmUpOptions(store: CustomerStore, timeLeft: () => number, next = 0, tries = 1): void {
    if (optionsWarmedUp || this.store.store !== store) return;
    const scratch = document.createDocumentFragment();
    for (; next < WARM_UP_QUERIES.length && timeLeft() >= WARM_UP_MIN_IDLE_MS; next++) {
      const query = WARM_UP_QUERIES[next] as string;
      const items = [...store.search(query, WARM_UP_ROWS).ids.map((id): ListItem => ({ kind: 'customer', id })), CREATE];
      render(html`${items.map((item, index) => this.renderOption(item, index, query))}`, scratch);
    }
    // A store without customers has no option to warm up: the next one this picker is given may.
    if (next === WARM_UP_QUERIES.length) optionsWarmedUp = store.liveCount > 0;
    else if (tries < WARM_UP_TRIES) whenIdle((left) => this.warmUpOptions(store, left, next, tries + 1));
  }

  private renderForm() {
    return html`<pos-customer-form
      part="form"
      quick
      store-ref=${this.storeRef || nothing}
      .prefill=${this.prefill}
      @pos-customer-save=${this.onFormSave}
      @pos-cancel=${this.onFormCancel}
      @pos-customer-open=${this.onFormOpen}
    ></pos-customer-form>`;
  }

  private buttonLabel(): string {
    const t = strings();
    const lookup = this.store.lookup;
    const fallback = lookup?.defaultCustomer() ? t.walkInCustomer : t.chooseCustomer;
    const read = lookup && this.value ? lookup.read(this.value) : undefined;
    if (!read) return fallback;
    if (!read.ok) return t.invalidRecordLabel;
    if (read.customer.deleted) return fallback;
    return read.customer.id === lookup?.settings().defaultCustomerId ? t.walkInCustomer : displayName(read.customer);
  }

  /** The chosen customer's group, so the cashier sees "VIP" on the sale without opening the search. */
  private buttonGroup(): TemplateResult | typeof nothing {
    const lookup = this.store.lookup;
    const read = lookup && this.value ? lookup.read(this.value) : undefined;
    const groupId = read?.ok && !read.customer.deleted ? read.customer.groupId : null;
    const group = groupId ? lookup?.group(groupId) : undefined;
    return group ? html`<span part="button-group" class="group">${group.name}</span>` : nothing;
  }

  /** The rows for the current search, or this till's recent customers for an empty one. */
  private listingFor(lookup: CustomerLookup): Listing {
    const query = this.query.trim();
    if (!query) {
      // A recent customer merged away since shows as the one it was merged into, once.
      const resolved = new Set((this.recent()?.ids() ?? []).map((id) => lookup.resolveCustomerId(id)));
      const ids = [...resolved].filter((id) => {
        const read = lookup.read(id);
        return read !== undefined && !(read.ok && read.customer.deleted);
      });
      return { items: [...ids.map((id): ListItem => ({ kind: 'customer', id })), CREATE], shown: ids.length, total: ids.length, recent: true };
    }
    const found = lookup.search(query, this.limit);
    // Records another app wrote in a shape the search cannot index are still findable by their id.
    const key = fold(query);
    const invalid = lookup
      .invalidRecords({ soFar: true })
      .filter((record) => fold(record.id).startsWith(key) && !found.ids.includes(record.id))
      .map((record) => record.id);
    const ids = [...found.ids, ...invalid];
    return { items: [...ids.map((id): ListItem => ({ kind: 'customer', id })), CREATE], shown: ids.length, total: found.total + invalid.length, recent: false };
  }

  private noteChange(change: StoreChange): void {
    const store = this.store.store;
    if (!store) return;
    if (this.value && change.customers.has(this.value)) {
      const read = store.read(this.value);
      if (!read || (read.ok && read.customer.deleted)) this.selectionGone = true;
    }
    if (!this.open) return;
    if (change.groups) {
      this.listingStale = true;
    } else if (this.query.trim()) {
      // Any customer change can add or drop a match; re-searching is cheap next to the render.
      if (change.customers.size) this.listingStale = true;
    } else {
      // Recent customers are the only rows of an empty search; a deleted one drops out, a restored one returns.
      const recent = new Set(this.recent()?.ids());
      if ([...change.customers].some((id) => recent.has(id))) this.listingStale = true;
    }
  }

  private openWith(query: string): void {
    if (this.disabled) return;
    void loadForm();
    this.query = query;
    this.open = true;
    this.syncDialog();
  }

  /** Keeps the <dialog> in step with `open`: modal while open, focus in the search, then back on the button. */
  private syncDialog(): void {
    const dialog = this.dialog;
    if (!dialog) return;
    if (this.open && !dialog.open && dialog.isConnected) {
      dialog.showModal();
      this.input?.focus();
    } else if (!this.open && dialog.open) {
      dialog.close();
      this.button?.focus();
    }
  }

  private select(customer: Customer | null): void {
    this.movedFrom = undefined;
    const store = this.store.store;
    this.value = customer?.id ?? '';
    // The walk-in customer is one button away already; recents are for people.
    if (customer && customer.id !== store?.settings().defaultCustomerId) this.recent()?.add(customer.id);
    // Closed first, so a page that moves focus on the event keeps it.
    this.hide();
    this.emit('pos-customer-select', { customer });
  }

  private activate(index: number): void {
    const item = this.listing.items[index];
    if (!item) return;
    if (item.kind === 'create') {
      this.requestCreate();
      return;
    }
    this.choose(item.id);
  }

  /**
   * Chooses a listed customer for the sale, from the store: an invalid record has no readable customer
   * and is never chosen. Before the store is ready the list shows the snapshot's preview, which holds no
   * whole customer; the choice then waits for the store (the status says so) and is dropped if the
   * cashier types or closes the panel meanwhile.
   */
  private choose(id: string): void {
    if (!this.store.ready) {
      if (this.store.lookup?.read(id)?.ok) this.pendingChoice = id;
      return;
    }
    const customer = this.store.store?.get(id);
    if (customer && !customer.deleted) this.select(customer);
  }

  /** This till's recent customers, known once the store or its preview is. */
  private recent(): RecentCustomers | undefined {
    const at = this.store.storeAndTill;
    if (!at) return undefined;
    const key = recentCustomersKey(at.storeId, at.tillId);
    if (this.recentList?.key !== key) this.recentList = { key, list: new RecentCustomers(at.storeId, at.tillId) };
    return this.recentList.list;
  }

  private requestCreate(): void {
    const query = this.query.trim();
    if (!this.emit('pos-customer-create-request', { query }, { cancelable: true })) {
      // The page creates the customer its own way; the modal panel would sit in front of its UI.
      this.hide();
      return;
    }
    this.prefill = prefillFromQuery(query);
    this.view = 'create';
  }

  private async focusForm(): Promise<void> {
    await loadForm();
    await this.updateComplete;
    const form = this.renderRoot.querySelector<HTMLElement & { updateComplete?: Promise<unknown> }>('pos-customer-form');
    await form?.updateComplete;
    form?.focus();
  }

  private readonly onFormSave = (event: PosEvent<'pos-customer-save'>): void => {
    this.select(event.detail.customer);
  };

  private readonly onFormCancel = (event: PosEvent<'pos-cancel'>): void => {
    // The form's cancel means "back to the search" here, not "close the page's dialog".
    event.stopPropagation();
    this.view = 'search';
  };

  /** The form found the customer already exists (same phone, email or card): choosing them is what the cashier wants. */
  private readonly onFormOpen = (event: PosEvent<'pos-customer-open'>): void => {
    event.stopPropagation();
    const customer = this.store.store?.get(event.detail.customerId);
    if (customer && !customer.deleted) this.select(customer);
  };

  private readonly onOptionClick = (event: MouseEvent): void => {
    const option = (event.target as Element).closest<HTMLElement>('[role="option"]');
    if (option) this.activate(Number(option.dataset['index']));
  };

  private readonly keepFocus = (event: MouseEvent): void => {
    // Options are not focusable: a click on one must leave focus (and the caret) in the search field. The
    // list's scrollbar is left alone.
    if ((event.target as Element).closest('[role="option"]')) event.preventDefault();
  };

  private readonly onInput = (event: Event): void => {
    this.query = (event.target as HTMLInputElement).value;
  };

  private readonly onInputKeydown = (event: KeyboardEvent): void => {
    if (event.isComposing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      this.onEnter(this.burst.end(event.timeStamp));
      return;
    }
    if (event.key.length === 1) {
      this.burst.key(event.key, event.timeStamp);
      return;
    }
    // Editing or moving by hand ends any burst; Shift (a scanner's capitals) does not.
    if (!MODIFIER_KEYS.has(event.key)) this.burst.reset();
    const count = this.listing.items.length;
    const last = this.activeIndex;
    const target: Record<string, number | undefined> = {
      ArrowDown: count ? (last < 0 ? 0 : (last + 1) % count) : undefined,
      ArrowUp: count ? (last < 0 ? count - 1 : (last - 1 + count) % count) : undefined,
      // Before an option is active, Home and End move the caret in the search text.
      Home: last >= 0 ? 0 : undefined,
      End: last >= 0 ? count - 1 : undefined,
    };
    const next = target[event.key];
    if (next === undefined) return;
    event.preventDefault();
    this.activeIndex = next;
  };

  private onEnter(scanned: string): void {
    const lookup = this.store.lookup;
    if (!lookup) return;
    const scannedCustomer = scanned ? lookup.findByBarcode(scanned.trim()) : undefined;
    if (scannedCustomer) return this.choose(scannedCustomer.id);
    if (this.activeIndex >= 0) return this.activate(this.activeIndex);
    const typedCard = lookup.findByBarcode(this.query.trim());
    if (typedCard) return this.choose(typedCard.id);
    const matches = this.listing.recent ? [] : this.listing.items.filter((item) => item.kind === 'customer');
    const [first, ...others] = matches;
    if (first?.kind === 'customer' && !others.length) this.choose(first.id);
  }

  private readonly onDialogKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || event.defaultPrevented || event.isComposing) return;
    // Handled here, not by the dialog's own cancel, so Escape steps back one level at a time.
    event.preventDefault();
    // An Escape from the form is its cancel (the form may already have said so with pos-cancel, which
    // switched the view before this listener ran): back to the search, the query kept.
    const fromForm = event.composedPath().some((node) => node instanceof Element && node.localName === 'pos-customer-form');
    if (fromForm || this.view === 'create') this.view = 'search';
    else if (this.query) this.query = '';
    else this.hide();
  };

  private readonly onDialogCancel = (event: Event): void => {
    // Other close requests (a phone's back gesture, Escape before focus reached the form) step back as
    // Escape does: from the form to the search, else closed through hide(), which keeps focus right.
    event.preventDefault();
    if (this.view === 'create') this.view = 'search';
    else this.hide();
  };

  private readonly onButtonKeydown = (event: KeyboardEvent): void => {
    if (event.isComposing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === 'Enter' && this.buttonKeys) {
      event.preventDefault();
      this.finishButtonKeys(true);
      return;
    }
    // Space on its own still presses the button.
    if (event.key.length !== 1 || (event.key === ' ' && !this.buttonKeys)) return;
    event.preventDefault();
    this.buttonKeys += event.key;
    clearTimeout(this.buttonKeysTimer);
    this.buttonKeysTimer = setTimeout(() => this.finishButtonKeys(false), this.scanInterval);
  };

  /** A scan (Enter came without a pause) chooses the card's customer; anything else opens the search for it. */
  private finishButtonKeys(enter: boolean): void {
    clearTimeout(this.buttonKeysTimer);
    const typed = this.buttonKeys;
    this.buttonKeys = '';
    const scanned = enter ? this.store.lookup?.findByBarcode(typed.trim()) : undefined;
    if (scanned) this.choose(scanned.id);
    else this.openWith(typed);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pos-customer-picker': PosCustomerPicker;
  }
}
