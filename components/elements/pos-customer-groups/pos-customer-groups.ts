import { html, nothing, type TemplateResult } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import { StoreController } from '../../controllers/store-controller.js';
import { strings } from '../../i18n/strings.js';
import { fieldErrorsOf, type FieldError } from '../../model/field-errors.js';
import { GroupInputSchema, type Group, type GroupInput } from '../../model/group.js';
import { formFieldStyles } from '../shared/form-fields.styles.js';
import { selectField, textField } from '../shared/form-fields.js';
import { PosElement } from '../pos-element.js';
import { customerGroupsStyles } from './pos-customer-groups.styles.js';

interface Draft {
  name: string;
  description: string;
  /** As typed: "12,5" and "" are read when saving. */
  discount: string;
}

const emptyDraft: Draft = { name: '', description: '', discount: '' };

/** The group being deleted, and where its customers go ('' = no group). */
interface PendingDelete {
  group: Group;
  moveTo: string;
  error: string;
}

/**
 * @summary The store's customer groups: each with its description, discount and number of customers;
 * create and edit them (a duplicate name is refused beside the field), and delete one after a
 * confirmation that says how many customers it holds and lets the manager choose where they go.
 * Changes from other tills appear live.
 *
 * @event pos-group-save - A group was created or edited. Detail: `{ group, created }`.
 * @event pos-group-delete - A group was deleted. Detail: `{ group, moved, movedTo }` (`movedTo` null: no group).
 *
 * @csspart base - The wrapper of the table, the form and the status line.
 * @csspart table - The table of groups.
 * @csspart empty - The sentence shown when the store has no group.
 * @csspart form - The create / edit form.
 * @csspart field - A label, its control and its error. Also `label`, `input`, `error`.
 * @csspart status - The line announcing the last change.
 * @csspart dialog - The delete confirmation (a modal dialog).
 *
 * @cssprop --pos-accent - Primary buttons.
 * @cssprop --pos-danger - Delete buttons and field errors.
 * @cssprop --pos-border - Table rules, fields and dialog border.
 * @cssprop --pos-form-gap - Space between the table, the form and the status line.
 */
@customElement('pos-customer-groups')
export class PosCustomerGroups extends PosElement {
  static override styles = [PosElement.baseStyles, formFieldStyles, customerGroupsStyles];

  private readonly store = new StoreController(this, {
    relevant: (change) => change.groups || change.customers.size > 0,
    onChange: (change) => {
      if (change.groups || change.customers.size > 0) this.memberCounts = undefined;
    },
    onAttach: () => (this.memberCounts = undefined),
  });

  /** The group the form edits; null while it creates one. */
  @state() private editingId: string | null = null;
  @state() private draft: Draft = emptyDraft;
  @state() private errors: FieldError[] = [];
  @state() private pendingDelete: PendingDelete | null = null;
  @state() private status = '';

  @query('dialog') private dialog?: HTMLDialogElement;

  /** Live customers per group id, counted in one pass over the store and kept until a change. */
  private memberCounts: Map<string | null, number> | undefined;

  private membersOf(groupId: string): number {
    const store = this.store.store;
    if (!store) return 0;
    if (!this.memberCounts) {
      const counts = new Map<string | null, number>();
      for (const id of store.liveIds()) {
        const groupId = store.get(id)?.groupId ?? null;
        counts.set(groupId, (counts.get(groupId) ?? 0) + 1);
      }
      this.memberCounts = counts;
    }
    return this.memberCounts.get(groupId) ?? 0;
  }

  protected override willUpdate(): void {
    const store = this.store.store;
    if (!store) return;
    // Another till may delete the group being edited or deleted here, or the group members would move to.
    if (this.editingId && !store.group(this.editingId)) {
      this.editingId = null;
      this.draft = emptyDraft;
      this.errors = [];
      this.status = strings().groupsDeletedElsewhere;
    }
    const pending = this.pendingDelete;
    if (pending && !store.group(pending.group.id)) {
      this.pendingDelete = null;
      this.status = strings().groupsDeletedElsewhere;
    } else if (pending?.moveTo && !store.group(pending.moveTo)) {
      this.pendingDelete = { ...pending, moveTo: '' };
    }
  }

  protected override updated(): void {
    const dialog = this.dialog;
    if (!dialog) return;
    if (this.pendingDelete && !dialog.open) dialog.showModal();
    else if (!this.pendingDelete && dialog.open) dialog.close();
  }

  protected override render() {
    const t = strings();
    const store = this.store.store;
    if (!store) return html`<p part="empty">${t.noStore}</p>`;
    const groups = store.groups();
    return html`<div part="base">
      ${groups.length ? this.renderTable(groups) : html`<p part="empty">${t.groupsNone}</p>`} ${this.renderForm()}
      <p part="status" class="status" role="status">${this.status}</p>
      ${this.renderDialog(groups)}
    </div>`;
  }

  private renderTable(groups: Group[]): TemplateResult {
    const t = strings();
    // In a panel narrower than the table, the table scrolls within it instead of spilling over its neighbours.
    return html`<div class="table-scroll">
      <table part="table" aria-label=${t.groupsTableLabel}>
        <thead>
          <tr>
            <th scope="col">${t.groupsName}</th>
            <th scope="col">${t.groupsDescription}</th>
            <th scope="col" class="number">${t.groupsDiscount}</th>
            <th scope="col" class="number">${t.groupsMembers}</th>
            <th scope="col"><span class="visually-hidden">${t.groupsActions}</span></th>
          </tr>
        </thead>
        <tbody>
          ${groups.map(
            (g) =>
              html`<tr data-group-id=${g.id}>
                <th scope="row">${g.color ? html`<span class="swatch" style=${styleMap({ background: g.color })}></span>` : nothing}${g.name}</th>
                <td class="description">${g.description}</td>
                <td class="number">${t.groupsDiscountValue(g.discountPercent)}</td>
                <td class="number">${this.membersOf(g.id).toLocaleString()}</td>
                <td class="row-actions">
                  <button type="button" class="edit" aria-label=${t.groupsEditNamed(g.name)} @click=${() => this.startEdit(g)}>${t.groupsEdit}</button>
                  <button type="button" class="delete danger" aria-label=${t.groupsDeleteNamed(g.name)} @click=${() => this.askDelete(g)}>
                    ${t.groupsDelete}
                  </button>
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  private renderForm(): TemplateResult {
    const t = strings();
    const editing = this.editingId ? this.store.store?.group(this.editingId) : undefined;
    const error = (field: string) => this.errors.find((e) => e.field === field);
    const general = this.errors.filter((e) => !['name', 'description', 'discountPercent'].includes(e.field));
    return html`<form part="form" novalidate @submit=${this.save}>
      <fieldset>
        <legend>${editing ? t.groupsEditTitle(editing.name) : t.groupsNew}</legend>
        <div class="fields">
          ${textField({
            id: 'group-name',
            label: t.groupsName,
            value: this.draft.name,
            error: error('name'),
            required: true,
            autocapitalize: 'words',
            onInput: (name) => this.edit({ name }, 'name'),
            onLeave: () => this.recheck(),
          })}
          ${textField({
            id: 'group-discount',
            label: t.groupsDiscount,
            value: this.draft.discount,
            error: error('discountPercent'),
            onInput: (discount) => this.edit({ discount }, 'discountPercent'),
            onLeave: () => this.recheck(),
          })}
          ${textField({
            id: 'group-description',
            label: t.groupsDescription,
            value: this.draft.description,
            error: error('description'),
            wide: true,
            onInput: (description) => this.edit({ description }, 'description'),
            onLeave: () => this.recheck(),
          })}
        </div>
        ${general.length ? html`<p class="alert" role="alert">${general.map((e) => e.message).join(' ')}</p>` : nothing}
        <div class="actions">
          ${editing ? html`<button type="button" class="cancel" @click=${this.cancelEdit}>${t.cancel}</button>` : nothing}
          <button type="submit" class="primary">${editing ? t.save : t.groupsCreate}</button>
        </div>
      </fieldset>
    </form>`;
  }

  private renderDialog(groups: Group[]): TemplateResult {
    const t = strings();
    const pending = this.pendingDelete;
    const members = pending ? this.membersOf(pending.group.id) : 0;
    const targets = pending ? groups.filter((g) => g.id !== pending.group.id) : [];
    return html`<dialog part="dialog" aria-labelledby="delete-title" @close=${this.onDialogClose}>
      ${
        pending
          ? html`<h2 id="delete-title">${t.groupsDeleteTitle(pending.group.name)}</h2>
              ${
                members > 0
                  ? selectField({
                      id: 'move-to',
                      label: t.groupsMoveMembers(members, pending.group.name),
                      value: pending.moveTo,
                      error: pending.error ? { field: 'moveMembersTo', message: pending.error } : undefined,
                      options: [{ value: '', label: t.noGroup }, ...targets.map((g) => ({ value: g.id, label: g.name }))],
                      onInput: (moveTo) => (this.pendingDelete = { ...pending, moveTo, error: '' }),
                      onLeave: () => undefined,
                    })
                  : html`<p>${t.groupsNoMembers(pending.group.name)}</p>`
              }
              <div class="actions">
                <button type="button" class="cancel" @click=${this.cancelDelete}>${t.cancel}</button>
                <button type="button" class="confirm danger primary" @click=${this.confirmDelete}>${t.groupsDeleteConfirm}</button>
              </div>`
          : nothing
      }
    </dialog>`;
  }

  private edit(patch: Partial<Draft>, field: string): void {
    this.draft = { ...this.draft, ...patch };
    if (this.errors.some((e) => e.field === field)) this.errors = this.errors.filter((e) => e.field !== field);
  }

  private input(): GroupInput {
    const discount = this.draft.discount.trim().replace(',', '.');
    return { name: this.draft.name, description: this.draft.description, discountPercent: discount === '' ? 0 : Number(discount) };
  }

  /** Once errors are showing, leaving a field re-checks the draft so fixed fields clear before saving. */
  private recheck(): void {
    if (!this.errors.length) return;
    const parsed = GroupInputSchema.safeParse(this.input());
    const schemaErrors = parsed.success ? [] : fieldErrorsOf(parsed.error);
    // The duplicate-name check is the store's; keep it until the name changes (edit() drops it then).
    this.errors = [...schemaErrors, ...this.errors.filter((e) => e.field === 'name' && !schemaErrors.some((s) => s.field === 'name'))];
  }

  private startEdit(group: Group): void {
    this.editingId = group.id;
    this.draft = { name: group.name, description: group.description, discount: String(group.discountPercent) };
    this.errors = [];
    this.status = '';
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#group-name')?.focus());
  }

  private readonly cancelEdit = (): void => {
    this.editingId = null;
    this.draft = emptyDraft;
    this.errors = [];
  };

  private readonly save = (event: Event): void => {
    event.preventDefault();
    const store = this.store.store;
    if (!store) return;
    const t = strings();
    const input = this.input();
    const editingId = this.editingId;
    const created = editingId === null;
    const result = editingId === null ? store.createGroup(input) : store.updateGroup(editingId, input);
    if (!result.ok) {
      this.errors = result.errors;
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    this.editingId = null;
    this.draft = emptyDraft;
    this.errors = [];
    this.status = created ? t.groupsCreated(result.value.name) : t.groupsSaved(result.value.name);
    this.emit('pos-group-save', { group: result.value, created });
  };

  private askDelete(group: Group): void {
    this.status = '';
    this.pendingDelete = { group, moveTo: '', error: '' };
  }

  private readonly cancelDelete = (): void => {
    this.pendingDelete = null;
  };

  /** Escape closes the dialog natively; keep the state in step. */
  private readonly onDialogClose = (): void => {
    this.pendingDelete = null;
  };

  private readonly confirmDelete = (): void => {
    const store = this.store.store;
    const pending = this.pendingDelete;
    if (!store || !pending) return;
    const t = strings();
    const movedTo = pending.moveTo || null;
    const result = store.deleteGroup(pending.group.id, movedTo);
    if (!result.ok) {
      this.pendingDelete = { ...pending, error: result.errors.map((e) => e.message).join(' ') };
      return;
    }
    const targetName = movedTo ? (store.group(movedTo)?.name ?? '') : t.noGroup;
    this.pendingDelete = null;
    if (this.editingId === pending.group.id) this.cancelEdit();
    this.status = t.groupsDeleted(pending.group.name, result.value.moved, targetName);
    this.emit('pos-group-delete', { group: pending.group, moved: result.value.moved, movedTo });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'pos-customer-groups': PosCustomerGroups;
  }
}
