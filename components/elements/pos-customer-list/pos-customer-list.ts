import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { guard } from 'lit/directives/guard.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import { StoreController } from '../../controllers/store-controller.js';
import { strings } from '../../i18n/strings.js';
import { displayName, type Customer } from '../../model/customer.js';
import type { Group } from '../../model/group.js';
import type { InvalidRecord } from '../../store/record-views.js';
import { PosElement } from '../pos-element.js';
import { customerListStyles } from './pos-customer-list.styles.js';
import { RowWindow } from '../shared/row-window.js';

type SortKey = 'name' | 'created' | 'updated';

/** `all`, `none` (customers in no group) or a group id; group ids are UUIDs, so they never clash. */
type GroupFilter = string;

/** Customers a deletion kept for one reason (the host's or the store's). */
interface Kept {
  reason: string;
  count: number;
  /** The first few names, enough to recognise them. */
  names: string[];
}

/** What the status bar says after an action. */
interface Notice {
  message: string;
  /** What Undo will report; absent when there is nothing to undo or Undo would now revert another change. */
  undone?: string | undefined;
  kept: Kept[];
}

/** Names listed per reason (and in the confirmation) before "and N more": enough to recognise, short enough to read. */
const NAMES_SHOWN = 5;
/** Invalid records listed in full; more are counted, since one broken import can write thousands. */
const INVALID_SHOWN = 100;

/** Rows read and formatted once are kept for scrolling back; past this many the cache starts over. */
const ROW_CACHE_SIZE = 2000;

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });

interface DateText {
  iso: string;
  short: string;
  full: string;
}

/** What a row shows of a customer, read and formatted once rather than on every scrolled frame. */
interface RowView {
  customer: Customer;
  name: string;
  created: DateText;
  updated: DateText;
}

/**
 * @summary The back office's customer list: every live customer in a virtualised table that stays smooth
 * at 100,000 rows, with search, group filter, sorting, selection (one, several, or every match), bulk
 * group assignment, and deletion with confirmation, host veto and undo. Changes from other tills appear live.
 *
 * @event pos-customer-open - The manager chose Edit (or pressed Enter on a row); the host opens its form. Detail: `{ customerId }`.
 * @event pos-customer-delete-request - Cancelable, sent after the manager confirmed and before deleting. Push
 *   `{ customerId, reason }` into `detail.refusals` to keep some customers, or `preventDefault()` to keep all.
 *
 * @csspart toolbar - The search box, group filter and count.
 * @csspart search - The search input.
 * @csspart group-filter - The group filter select.
 * @csspart selection-bar - Selection count and bulk actions.
 * @csspart notice - The status bar after an action (deleted, moved, Undo, customers kept and why).
 * @csspart table - The table: header and scrolling rows.
 * @csspart header-row - The column headers.
 * @csspart rows - The scrolling area of the rows.
 * @csspart row - One customer's row (also `row-selected` when selected).
 * @csspart presence - "Open on Till 2" beside a name: another till has this customer open in its form.
 * @csspart empty - The message shown when no customer matches.
 * @csspart invalid - The section listing records with invalid data.
 * @csspart dialog - The delete confirmation (a modal dialog).
 * @csspart danger-button - The buttons that delete.
 *
 * @cssprop --pos-customer-list-height - Height of the whole list; rows scroll inside it (default 36rem).
 * @cssprop --pos-customer-list-row-height - Height of a row (default 3.25rem, never below the touch target).
 * @cssprop --pos-customer-list-columns - The columns' `grid-template-columns` (8 columns).
 * @cssprop --pos-row-selected - Background of selected rows.
 */
@customElement('pos-customer-list')
export class PosCustomerList extends PosElement {
  static override styles = [PosElement.baseStyles, customerListStyles];

  private readonly store = new StoreController(this, {
    relevant: (change) => change.customers.size > 0 || change.groups,
    onChange: (change) => {
      if (change.customers.size > 0 || change.groups) this.ordered = undefined;
      for (const id of change.customers) this.rowViews.delete(id);
      // store.undo() reverts this till's latest change: once something else here changed, Undo would revert that instead.
      if (change.local && !this.writing && this.notice?.undone) this.notice = { ...this.notice, undone: undefined };
    },
    onAttach: () => {
      this.ordered = undefined;
      this.rowViews = new Map();
      this.selected = new Set();
      this.notice = undefined;
    },
  });

  @state() private query = '';
  @state() private groupFilter: GroupFilter = 'all';
  @state() private sortKey: SortKey = 'name';
  @state() private descending = false;
  @state() private selected: ReadonlySet<string> = new Set();
  @state() private assignTarget = '';
  @state() private notice: Notice | undefined;
  @state() private confirming: { ids: string[]; opener: HTMLElement | null } | undefined;

  @query('dialog') private dialog?: HTMLDialogElement;

  /** The rows: live, valid customers matching the search and filter, in the chosen order. */
  private ids: string[] = [];
  private groups: Group[] = [];
  private groupsById = new Map<string, Group>();
  private invalid: InvalidRecord[] = [];
  /**
   * Every listed customer in the chosen order and group, before the search narrows it: kept between
   * keystrokes, since ordering 100,000 customers costs far more than filtering them.
   */
  private ordered: string[] | undefined;
  /** Where a shift-click range starts. */
  private anchorId: string | undefined;
  /** True while this element writes, so its own change is not mistaken for another on this till. */
  private writing = false;
  /** The rows in the DOM: those in view of the scrolling area, plus a few. */
  private readonly rowWindow = new RowWindow(this, () => this.ids.length);
  private rowViews = new Map<string, RowView>();

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('groupFilter') || changed.has('sortKey') || changed.has('descending')) this.ordered = undefined;
    if (this.ordered === undefined || changed.has('query')) this.refreshList();
    // Another search, filter or order starts at its first row.
    if (['query', 'groupFilter', 'sortKey', 'descending'].some((key) => changed.has(key))) this.rowWindow.toTop();
  }

  protected override updated(): void {
    this.rowWindow.observe(
      this.renderRoot.querySelector<HTMLElement>('.rows') ?? undefined,
      this.renderRoot.querySelector<HTMLElement>('.rows-block') ?? undefined,
    );
  }

  private refreshList(): void {
    const store = this.store.store;
    if (!store) {
      this.ordered = [];
      this.ids = [];
      this.groups = [];
      this.groupsById = new Map();
      this.invalid = [];
      return;
    }
    if (this.ordered === undefined) {
      if (this.rowViews.size > ROW_CACHE_SIZE) this.rowViews = new Map();
      this.groups = store.groups();
      this.groupsById = new Map(this.groups.map((g) => [g.id, g]));
      if (this.groupFilter !== 'all' && this.groupFilter !== 'none' && !this.groupsById.has(this.groupFilter)) this.groupFilter = 'all';
      if (this.assignTarget && this.assignTarget !== 'none' && !this.groupsById.has(this.assignTarget)) this.assignTarget = '';
      this.invalid = store.invalidRecords({ soFar: true });
      const groupId = this.groupFilter === 'all' ? undefined : this.groupFilter === 'none' ? null : this.groupFilter;
      let ordered = store.listIds({ groupId, sort: this.sortKey, descending: this.descending });
      if (this.invalid.length) {
        // Records with a readable stamp are indexed even when a field is invalid; they are listed apart.
        const invalidIds = new Set(this.invalid.map((r) => r.id));
        ordered = ordered.filter((id) => !invalidIds.has(id));
      }
      this.ordered = ordered;
    }
    const query = this.query.trim();
    const matches = query ? store.listIds({ query }) : undefined;
    let ids = this.ordered;
    if (matches && this.sortKey === 'name' && this.groupFilter === 'all' && !this.invalid.length) {
      // The matches come in name order already: the common case needs no pass over every customer.
      ids = this.descending ? matches.reverse() : matches;
    } else if (matches) {
      const matching = new Set(matches);
      ids = this.ordered.filter((id) => matching.has(id));
    }
    this.ids = ids;
    // The selection is always part of what is listed, so Delete never reaches a customer the manager cannot see.
    if (this.selected.size) {
      const listed = new Set(ids);
      const kept = [...this.selected].filter((id) => listed.has(id));
      if (kept.length !== this.selected.size) this.selected = new Set(kept);
    }
  }

  // ── rendering ──────────────────────────────────────────────────────────────

  protected override render() {
    const t = strings();
    if (!this.store.store) return html`<p part="empty" class="empty">${t.noStore}</p>`;
    // A scroll re-renders the list for its rows; the parts around them are guarded by what they show
    // (formatting counts for them every frame showed up in the scroll profile).
    return html`
      ${guard([t, this.query, this.groupFilter, this.groups, this.ids.length], () => this.renderToolbar())}
      ${guard([t, this.selected, this.ids.length, this.groups, this.assignTarget], () => this.renderSelectionBar())}
      <div part="notice" class="notice" role="status">${this.notice ? this.renderNotice(this.notice) : nothing}</div>
      ${this.renderTable()} ${this.renderInvalid()} ${this.renderDialog()}
    `;
  }

  private renderToolbar(): TemplateResult {
    const t = strings();
    return html`<div part="toolbar" class="toolbar">
      <label class="search">
        <span class="visually-hidden">${t.searchLabel}</span>
        <input part="search" type="search" placeholder=${t.searchCustomers} autocomplete="off" .value=${this.query} @input=${this.onSearch} />
      </label>
      <label class="field">
        <span>${t.listGroupFilter}</span>
        <select part="group-filter" @change=${this.onGroupFilter}>
          <option value="all" ?selected=${this.groupFilter === 'all'}>${t.listAllGroups}</option>
          <option value="none" ?selected=${this.groupFilter === 'none'}>${t.noGroup}</option>
          ${this.groups.map((g) => html`<option value=${g.id} ?selected=${this.groupFilter === g.id}>${g.name}</option>`)}
        </select>
      </label>
      <span class="count">${t.listCount(this.ids.length)}</span>
    </div>`;
  }

  private renderSelectionBar(): TemplateResult {
    const t = strings();
    const count = this.selected.size;
    const none = count === 0;
    return html`<div part="selection-bar" class="selection-bar">
      <span class="selected-count">${t.listSelectedCount(count)}</span>
      <button type="button" class="select-all" ?disabled=${this.ids.length === 0} @click=${this.selectAll}>${t.listSelectAll(this.ids.length)}</button>
      <button type="button" ?disabled=${none} @click=${this.clearFromBar}>${t.listClearSelection}</button>
      <button type="button" part="danger-button" class="danger" ?disabled=${none} @click=${this.onDeleteSelected}>${t.listDeleteSelected}</button>
      <span class="assign">
        <label class="field">
          <span>${t.listAssignGroup}</span>
          <select ?disabled=${none} @change=${this.onAssignTarget}>
            <option value="" ?selected=${this.assignTarget === ''}>${t.listChooseGroup}</option>
            <option value="none" ?selected=${this.assignTarget === 'none'}>${t.noGroup}</option>
            ${this.groups.map((g) => html`<option value=${g.id} ?selected=${this.assignTarget === g.id}>${g.name}</option>`)}
          </select>
        </label>
        <button type="button" ?disabled=${none || !this.assignTarget} @click=${this.assignSelected}>${t.listApply}</button>
      </span>
    </div>`;
  }

  private renderNotice(notice: Notice): TemplateResult {
    const t = strings();
    const keptCount = notice.kept.reduce((sum, k) => sum + k.count, 0);
    return html`<div class="notice-line">
        <span>${notice.message}</span>
        ${notice.undone ? html`<button type="button" class="undo" @click=${this.undo}>${t.listUndo}</button>` : nothing}
        <button type="button" class="dismiss" @click=${this.dismissNotice}>${t.listDismiss}</button>
      </div>
      ${
        keptCount
          ? html`<div class="kept">
              <p>${t.listNotDeleted(keptCount)}</p>
              <ul>
                ${notice.kept.map((k) => html`<li><span class="reason">${k.reason.replace(/\.$/, '')}:</span> ${namesList(k.names, k.count)}</li>`)}
              </ul>
            </div>`
          : nothing
      }`;
  }

  private renderTable(): TemplateResult {
    const t = strings();
    return html`<div part="table" class="table" role="table" aria-label=${t.listLabel} aria-rowcount=${this.ids.length + 1}>
        ${guard([t, this.ids.length, this.selected, this.sortKey, this.descending], () => this.renderHead())} ${this.ids.length ? this.renderRows() : nothing}
      </div>
      ${this.ids.length ? nothing : html`<p part="empty" class="empty">${this.query || this.groupFilter !== 'all' ? t.noMatches : t.listNoCustomers}</p>`}`;
  }

  private renderHead(): TemplateResult {
    const t = strings();
    const all = this.ids.length > 0 && this.selected.size === this.ids.length;
    return html`<div role="rowgroup" class="head">
      <div role="row" part="header-row" class="row header" aria-rowindex="1">
        <div role="columnheader" class="check">
          <label class="target">
            <input
              type="checkbox"
              aria-label=${t.listSelectAll(this.ids.length)}
              .checked=${all}
              .indeterminate=${this.selected.size > 0 && !all}
              ?disabled=${this.ids.length === 0}
              @click=${all ? this.clearSelection : this.selectAll}
            />
          </label>
        </div>
        ${this.sortHeader('name', t.listName)}
        <div role="columnheader">${t.email}</div>
        <div role="columnheader">${t.phone}</div>
        <div role="columnheader">${t.group}</div>
        ${this.sortHeader('created', t.listCreated)} ${this.sortHeader('updated', t.listUpdated)}
        <div role="columnheader"><span class="visually-hidden">${t.listOptions}</span></div>
      </div>
    </div>`;
  }

  private sortHeader(key: SortKey, label: string): TemplateResult {
    const active = this.sortKey === key;
    const direction = this.descending ? 'descending' : 'ascending';
    return html`<div role="columnheader" class="sortable" aria-sort=${active ? direction : nothing}>
      <button type="button" class="sort" @click=${() => this.sortBy(key)}>
        <span class="label">${label}</span><span class="arrow" aria-hidden="true">${active ? (this.descending ? '▼' : '▲') : '↕'}</span>
      </button>
    </div>`;
  }

  /** The rows in view, in a block moved down to where they sit inside a sizer as high as every row. */
  private renderRows(): TemplateResult {
    const { first, end } = this.rowWindow;
    return html`<div part="rows" class="rows" role="rowgroup" @scroll=${this.rowWindow.onScroll}>
      <div class="rows-sizer" style=${styleMap({ height: `${this.rowWindow.totalPx}px` })}>
        <div class="rows-block" style=${styleMap({ transform: `translateY(${this.rowWindow.offsetPx}px)` })}>
          ${repeat(
            this.ids.slice(first, end),
            (id) => id,
            (id, i) => this.renderRow(id, first + i),
          )}
        </div>
      </div>
    </div>`;
  }

  private rowView(id: string): RowView | undefined {
    let view = this.rowViews.get(id);
    if (!view) {
      const customer = this.store.store?.get(id);
      if (!customer) return undefined;
      view = { customer, name: displayName(customer), created: dateText(customer.createdAt), updated: dateText(customer.updatedAt) };
      this.rowViews.set(id, view);
    }
    return view;
  }

  private renderRow(id: string, index: number): TemplateResult {
    const t = strings();
    const view = this.rowView(id);
    const selected = this.selected.has(id);
    if (!view) {
      // Removed between the store's notice and the next refresh: a blank row keeps the positions right.
      return html`<div role="row" part="row" class="row" aria-rowindex=${index + 2} data-index=${index}><div role="cell"></div></div>`;
    }
    const { customer, name, created, updated } = view;
    return html`<div
      role="row"
      part=${selected ? 'row row-selected' : 'row'}
      class="row"
      tabindex="0"
      aria-rowindex=${index + 2}
      data-index=${index}
      data-id=${id}
      @keydown=${(e: KeyboardEvent) => this.onRowKeydown(e, customer, index)}
    >
      <div role="cell" class="check">
        <label class="target">
          <input type="checkbox" aria-label=${t.listSelectCustomer(name)} .checked=${selected} @click=${(e: MouseEvent) => this.onRowCheck(e, id)} />
        </label>
      </div>
      <div role="cell" class="name-cell"><span class="name">${name}</span>${this.presenceBadge(id)}</div>
      <div role="cell">${customer.email}</div>
      <div role="cell">${customer.phone}</div>
      <div role="cell">${this.groupBadge(customer)}</div>
      ${dateCell(created)} ${dateCell(updated)}
      <div role="cell" class="options">
        <button type="button" aria-label=${t.listEditNamed(name)} @click=${() => this.open(id)}>${t.listEdit}</button>
        <button
          type="button"
          part="danger-button"
          class="danger"
          aria-label=${t.listDeleteNamed(name)}
          @click=${(e: Event) => this.askDelete([id], e.currentTarget as HTMLElement)}
        >
          ${t.listDelete}
        </button>
      </div>
    </div>`;
  }

  /** Which other tills have this customer open in a form right now. */
  private presenceBadge(id: string): TemplateResult | typeof nothing {
    const openOn = this.store.tillsEditing(id);
    if (!openOn.length) return nothing;
    return html`<span part="presence" class="presence">${strings().openOn(strings().tillNames(openOn.map((peer) => peer.tillName)))}</span>`;
  }

  private groupBadge(customer: Customer): TemplateResult | typeof nothing {
    const group = customer.groupId ? this.groupsById.get(customer.groupId) : undefined;
    if (!group) return nothing;
    return html`<span class="group" style=${styleMap({ '--_group-color': group.color || null })}>${group.name}</span>`;
  }

  private renderInvalid(): TemplateResult | typeof nothing {
    if (!this.invalid.length) return nothing;
    const t = strings();
    return html`<details part="invalid" class="invalid">
      <summary>${t.listInvalidRecords(this.invalid.length)}</summary>
      <ul>
        ${this.invalid.slice(0, INVALID_SHOWN).map(
          (r) =>
            html`<li>
              <code>${r.id}</code>
              <ul>
                ${r.problems.map((p) => html`<li>${p}</li>`)}
              </ul>
            </li>`,
        )}
      </ul>
      ${this.invalid.length > INVALID_SHOWN ? html`<p>${t.listAndMore(this.invalid.length - INVALID_SHOWN)}</p>` : nothing}
    </details>`;
  }

  private renderDialog(): TemplateResult {
    const t = strings();
    const ids = this.confirming?.ids ?? [];
    const names = ids.slice(0, NAMES_SHOWN).map((id) => this.nameOf(id));
    const title = ids.length === 1 && names[0] !== undefined ? t.listConfirmDeleteNamed(names[0]) : t.listConfirmDelete(ids.length);
    return html`<dialog part="dialog" aria-labelledby="confirm-title" aria-describedby="confirm-detail" @cancel=${this.cancelDelete}>
      <h2 id="confirm-title">${title}</h2>
      <p id="confirm-detail">${t.listConfirmDeleteDetail}</p>
      ${ids.length > 1 ? html`<p class="names">${namesList(names, ids.length)}</p>` : nothing}
      <div class="actions">
        <button type="button" class="cancel" @click=${this.cancelDelete}>${t.cancel}</button>
        <button type="button" part="danger-button" class="danger confirm" @click=${this.confirmDelete}>${t.listDelete}</button>
      </div>
    </dialog>`;
  }

  // ── search, filter, sort ───────────────────────────────────────────────────

  private readonly onSearch = (e: Event): void => {
    this.query = (e.target as HTMLInputElement).value;
  };

  private readonly onGroupFilter = (e: Event): void => {
    this.groupFilter = (e.target as HTMLSelectElement).value;
  };

  private sortBy(key: SortKey): void {
    this.descending = this.sortKey === key ? !this.descending : false;
    this.sortKey = key;
  }

  // ── selection ──────────────────────────────────────────────────────────────

  private readonly selectAll = (): void => {
    this.selected = new Set(this.ids);
  };

  private readonly clearSelection = (): void => {
    this.selected = new Set();
    this.anchorId = undefined;
  };

  /** Clear selection disables itself; focus moves to its neighbour instead of falling to the page. */
  private readonly clearFromBar = async (): Promise<void> => {
    this.clearSelection();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.select-all')?.focus();
  };

  private onRowCheck(e: MouseEvent, id: string): void {
    const checked = (e.currentTarget as HTMLInputElement).checked;
    const from = e.shiftKey && this.anchorId !== undefined ? this.ids.indexOf(this.anchorId) : -1;
    const to = this.ids.indexOf(id);
    const next = new Set(this.selected);
    const range = from >= 0 && to >= 0 ? this.ids.slice(Math.min(from, to), Math.max(from, to) + 1) : [id];
    for (const rangeId of range) {
      if (checked) next.add(rangeId);
      else next.delete(rangeId);
    }
    this.anchorId = id;
    this.selected = next;
  }

  private toggle(id: string): void {
    const next = new Set(this.selected);
    if (!next.delete(id)) next.add(id);
    this.anchorId = id;
    this.selected = next;
  }

  // ── keyboard ───────────────────────────────────────────────────────────────

  private onRowKeydown(e: KeyboardEvent, customer: Customer, index: number): void {
    // Keys on the checkbox and buttons inside keep their own meaning.
    if (e.target !== e.currentTarget) return;
    const last = this.ids.length - 1;
    const target = { ArrowDown: Math.min(index + 1, last), ArrowUp: Math.max(index - 1, 0), Home: 0, End: last }[e.key];
    if (e.key === ' ') this.toggle(customer.id);
    else if (e.key === 'Enter') this.open(customer.id);
    else if (target !== undefined) void this.focusRow(target);
    else return;
    e.preventDefault();
  }

  /** Focuses a row; one outside the rendered range is scrolled to first, since only rendered rows are in the DOM. */
  private async focusRow(index: number): Promise<void> {
    this.rowWindow.reveal(index);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`[role='row'][data-index='${index}']`)?.focus();
  }

  private open(customerId: string): void {
    this.emit('pos-customer-open', { customerId });
  }

  // ── deleting ───────────────────────────────────────────────────────────────

  private readonly onDeleteSelected = (e: Event): void => {
    this.askDelete([...this.selected], e.currentTarget as HTMLElement);
  };

  private async askDelete(ids: string[], opener: HTMLElement | null): Promise<void> {
    if (!ids.length) return;
    this.confirming = { ids, opener };
    await this.updateComplete;
    const dialog = this.dialog;
    if (!dialog || dialog.open) return;
    dialog.showModal();
    // The safe choice has focus, so a stray Enter keeps the customers.
    dialog.querySelector<HTMLButtonElement>('.cancel')?.focus();
  }

  /**
   * Every way out of the dialog goes through here, synchronously: waiting for its `close` event would let a
   * late event from one confirmation clear the next.
   */
  private closeDialog(): { ids: string[]; opener: HTMLElement | null } | undefined {
    const confirming = this.confirming;
    this.confirming = undefined;
    this.dialog?.close();
    return confirming;
  }

  /** Cancel, or Escape (the dialog's `cancel` event). */
  private readonly cancelDelete = (): void => {
    const opener = this.closeDialog()?.opener;
    if (opener?.isConnected) opener.focus();
  };

  private readonly confirmDelete = async (): Promise<void> => {
    const confirming = this.closeDialog();
    if (!confirming) return;
    this.deleteCustomers(confirming.ids);
    await this.updateComplete;
    const undo = this.renderRoot.querySelector<HTMLElement>('.undo');
    const next = undo ?? (confirming.opener?.isConnected ? confirming.opener : this.renderRoot.querySelector<HTMLElement>('.dismiss'));
    next?.focus();
  };

  /** Asks the host, deletes what nobody refused, and says what was kept and why. */
  private deleteCustomers(ids: string[]): void {
    const store = this.store.store;
    if (!store) return;
    const t = strings();
    // Another till may have deleted some while the dialog was open.
    const live = ids.filter((id) => store.get(id)?.deleted === false);
    const detail = { customerIds: [...live], refusals: [] as Array<{ customerId: string; reason: string }> };
    const allowed = this.emit('pos-customer-delete-request', detail, { cancelable: true });
    const hostReasons = new Map<string, string>();
    for (const r of detail.refusals) if (!hostReasons.has(r.customerId)) hostReasons.set(r.customerId, r.reason);
    const toDelete = allowed ? live.filter((id) => !hostReasons.has(id)) : [];
    const outcome = toDelete.length ? this.write(() => store.deleteMany(toDelete)) : { deleted: [], refused: [] };
    const kept = new Map<string, Kept>();
    const keep = (id: string, reason: string) => {
      const group = kept.get(reason) ?? { reason, count: 0, names: [] };
      group.count++;
      if (group.names.length < NAMES_SHOWN) group.names.push(this.nameOf(id));
      kept.set(reason, group);
    };
    for (const id of live) {
      const reason = hostReasons.get(id) ?? (allowed ? undefined : t.listDeleteCancelled);
      if (reason !== undefined) keep(id, reason);
    }
    for (const refusal of outcome.refused) keep(refusal.existingCustomerId ?? '', refusal.message);
    const count = outcome.deleted.length;
    this.notice = { message: count ? t.listDeleted(count) : t.listNoneDeleted, undone: count ? t.listRestored(count) : undefined, kept: [...kept.values()] };
  }

  private nameOf(id: string): string {
    const customer = this.store.store?.get(id);
    return customer ? displayName(customer) : id;
  }

  // ── groups, undo ───────────────────────────────────────────────────────────

  private readonly onAssignTarget = (e: Event): void => {
    this.assignTarget = (e.target as HTMLSelectElement).value;
  };

  private readonly assignSelected = (): void => {
    const store = this.store.store;
    if (!store || !this.assignTarget) return;
    const t = strings();
    const groupId = this.assignTarget === 'none' ? null : this.assignTarget;
    const result = this.write(() => store.assignGroup([...this.selected], groupId));
    if (!result.ok) {
      this.notice = { message: result.errors.map((e) => e.message).join(' '), kept: [] };
      return;
    }
    const changed = result.value.changed;
    const groupName = groupId === null ? t.noGroup : (this.groupsById.get(groupId)?.name ?? groupId);
    this.notice = { message: t.listAssigned(changed, groupName), undone: changed ? t.listAssignUndone : undefined, kept: [] };
  };

  private readonly undo = async (): Promise<void> => {
    const store = this.store.store;
    const undone = this.notice?.undone;
    if (!store || !undone) return;
    this.write(() => store.undo());
    this.notice = { message: undone, kept: [] };
    await this.updateComplete;
    // The Undo button is gone; Dismiss sits where it was.
    this.renderRoot.querySelector<HTMLElement>('.dismiss')?.focus();
  };

  private readonly dismissNotice = (): void => {
    this.notice = undefined;
    this.renderRoot.querySelector<HTMLElement>('[part=search]')?.focus();
  };

  private write<T>(fn: () => T): T {
    this.writing = true;
    try {
      return fn();
    } finally {
      this.writing = false;
    }
  }
}

function dateText(ms: number): DateText {
  const date = new Date(ms);
  return { iso: date.toISOString(), short: dateFormat.format(date), full: dateTimeFormat.format(date) };
}

/** The cell is the <time> itself: one element less in each of the rows a scroll renders. */
function dateCell(date: DateText): TemplateResult {
  return html`<time role="cell" datetime=${date.iso} title=${date.full}>${date.short}</time>`;
}

/** The first names of `total` customers, then how many more. */
function namesList(names: string[], total: number): string {
  const shown = names.join(', ');
  return total > names.length ? `${shown} ${strings().listAndMore(total - names.length)}` : shown;
}

declare global {
  interface HTMLElementTagNameMap {
    'pos-customer-list': PosCustomerList;
  }
}
