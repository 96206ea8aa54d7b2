import { html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import { StoreController } from '../../controllers/store-controller.js';
import { strings } from '../../i18n/strings.js';
import { displayName } from '../../model/customer.js';
import {
  CSV_COLUMNS,
  csvColumnOf,
  exportCustomersCsv,
  importCustomers,
  parseCustomersCsv,
  previewImport,
  type ImportPreview,
  type ImportProgress,
  type ImportResult,
  type ImportRowCheck,
} from '../../store/customer-csv.js';
import { formFieldStyles } from '../shared/form-fields.styles.js';
import { selectField } from '../shared/form-fields.js';
import { PosElement } from '../pos-element.js';
import { customerImportStyles } from './pos-customer-import.styles.js';

type Stage =
  | { kind: 'idle' }
  | { kind: 'checking'; fileName: string; progress: ImportProgress }
  | { kind: 'preview'; fileName: string; preview: ImportPreview }
  | { kind: 'importing'; fileName: string; progress: ImportProgress }
  | { kind: 'done'; fileName: string; result: ImportResult }
  | { kind: 'failed'; fileName: string; errors: string[] };

type RowFilter = 'problems' | 'all';

/**
 * @summary Imports customers from a CSV file and exports them to one. A chosen (or dropped) file is
 * read and checked row by row with a progress bar, then previewed: how many rows are ready, invalid or
 * duplicates (of a customer in the store or of an earlier row), with each problem row's reasons. The
 * ready rows are then saved as one import, in one transaction: a progress bar while they are prepared
 * (the page asks before it is closed meanwhile; closed or left before the write, nothing is saved), then
 * while the store indexes them; other tills receive all of them at once, and it is one undo step. Rows
 * another till made duplicates since the preview are listed as not imported. Export downloads all
 * customers, or those in `customerIds`.
 *
 * @event pos-import-complete - Customers were imported. Detail: `{ created, notImported }` (ids, count of skipped rows).
 * @event pos-customers-export - Cancelable, sent with the CSV before it downloads. Detail: `{ csv, count, filename }`;
 *   `preventDefault()` to save or send it yourself.
 *
 * @csspart base - The wrapper.
 * @csspart drop-zone - The file chooser, which also accepts a dropped file.
 * @csspart progress - The progress label and bar. Also `progress-bar`.
 * @csspart summary - The counts of the preview, or the outcome of the import.
 * @csspart preview-table - The table of rows (problems first, or all).
 * @csspart import-button - The button that imports the ready rows.
 * @csspart export - The export button and its status. Also `export-button`.
 * @csspart field - The "show" filter's label and select. Also `label`, `input`.
 *
 * @cssprop --pos-accent - Progress bar, drop zone highlight and primary buttons.
 * @cssprop --pos-danger - Invalid and duplicate rows.
 * @cssprop --pos-import-ok - Ready rows (default green).
 * @cssprop --pos-import-preview-height - Height of the scrolling preview table (default 24rem).
 */
@customElement('pos-customer-import')
export class PosCustomerImport extends PosElement {
  static override styles = [PosElement.baseStyles, formFieldStyles, customerImportStyles];

  /** Customers to export ("export the selection"); when unset, Export takes every customer. */
  @property({ attribute: false }) customerIds: string[] | undefined;
  /** The name of the downloaded file. */
  @property() filename = 'customers.csv';
  /** At most this many rows are listed in the preview; the counts cover every row. */
  @property({ type: Number, attribute: 'preview-limit' }) previewLimit = 100;

  private readonly store = new StoreController(this, {
    // Only the export button's count follows the store; a preview is re-checked when importing.
    relevant: (change) => change.customers.size > 0 && this.customerIds === undefined,
    // A preview was checked against the store it was made for.
    onAttach: () => {
      this.abort?.abort();
      this.stage = { kind: 'idle' };
    },
  });

  @state() private stage: Stage = { kind: 'idle' };
  @state() private rowFilter: RowFilter = 'problems';
  @state() private dragOver = false;
  @state() private exportStatus = '';
  @state() private exporting = false;

  /** Stops the check in progress when another file is chosen or the element leaves the page. */
  private abort: AbortController | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
  }

  protected override render() {
    const t = strings();
    if (!this.store.store) return html`<p>${t.noStore}</p>`;
    return html`<div part="base">
      <div part="drop-zone" class=${this.dragOver ? 'over' : ''} @dragover=${this.onDragOver} @dragleave=${() => (this.dragOver = false)} @drop=${this.onDrop}>
        <label part="label" for="file">${t.importChooseFile}</label>
        <input id="file" type="file" accept=".csv,text/csv,text/plain" ?disabled=${this.saving} @change=${this.onFileChange} />
        <span class="hint">${t.importDropHint}</span>
      </div>
      <p class="hint">${t.importFormatHint} <code>${CSV_COLUMNS.join(', ')}</code></p>
      ${this.renderStage()} ${this.renderExport()}
    </div>`;
  }

  private renderStage(): TemplateResult | typeof nothing {
    const t = strings();
    const stage = this.stage;
    switch (stage.kind) {
      case 'idle':
        return nothing;
      case 'checking':
      case 'importing': {
        const { phase, done, total } = stage.progress;
        const label = {
          reading: t.importReading(stage.fileName),
          checking: t.importChecking(done, total),
          saving: t.importSavingProgress(done, total),
          indexing: t.importIndexingProgress(done, total),
        }[phase];
        return this.renderProgress(label, percent(done, total));
      }
      case 'failed':
        return html`<div class="alert" role="alert">
          <ul>
            ${stage.errors.map((e) => html`<li>${e}</li>`)}
          </ul>
        </div>`;
      case 'preview':
        return this.renderPreview(stage.preview);
      case 'done':
        return this.renderDone(stage.result);
    }
  }

  private renderProgress(label: string, value: number): TemplateResult {
    return html`<div part="progress">
      <span id="progress-label">${label}</span>
      <div part="progress-bar" role="progressbar" aria-labelledby="progress-label" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${Math.round(value)}>
        <span style=${styleMap({ width: `${value}%` })}></span>
      </div>
    </div>`;
  }

  private renderPreview(preview: ImportPreview): TemplateResult {
    const t = strings();
    const { ok, invalid, duplicates } = preview.counts;
    const problems = invalid + duplicates;
    const rows = this.rowFilter === 'problems' && problems > 0 ? preview.rows.filter((r) => r.status !== 'ok') : preview.rows;
    return html`<p part="summary" class="summary" role="status" tabindex="-1">
        ${preview.rows.length ? t.importSummary(ok, invalid, duplicates) : t.importNoRows}
      </p>
      ${preview.parsed.ignoredColumns.length ? html`<p class="hint">${t.importIgnoredColumns(preview.parsed.ignoredColumns.join(', '))}</p>` : nothing}
      <div class="controls">
        ${
          problems > 0 && ok > 0
            ? selectField({
                id: 'row-filter',
                label: t.importShow,
                value: this.rowFilter,
                error: undefined,
                options: [
                  { value: 'problems', label: t.importProblemRows },
                  { value: 'all', label: t.importAllRows },
                ],
                onInput: (value) => (this.rowFilter = value === 'all' ? 'all' : 'problems'),
                onLeave: () => undefined,
              })
            : nothing
        }
        <button type="button" part="import-button" class="import primary" ?disabled=${ok === 0} @click=${this.runImport}>${t.importButton(ok)}</button>
      </div>
      ${this.renderRows(rows)}`;
  }

  private renderDone(result: ImportResult): TemplateResult {
    const t = strings();
    const skipped = result.notImported.length;
    const { failed, created } = result;
    const outcome = failed ? t.importFailed(failed.reason, created.length, failed.notSaved) : t.importDone(created.length);
    const summary = `${outcome} ${skipped ? t.importNotImported(skipped) : ''}`.trim();
    return html`<p part="summary" class="summary" role=${failed ? 'alert' : 'status'} tabindex="-1">${summary}</p>
      ${this.renderRows(result.notImported)}`;
  }

  private renderRows(rows: ImportRowCheck[]): TemplateResult | typeof nothing {
    if (!rows.length) return nothing;
    const t = strings();
    const shown = rows.slice(0, Math.max(0, this.previewLimit));
    return html`<div class="table-wrap" role="region" aria-label=${t.importRowsLabel} tabindex="0">
        <table part="preview-table">
          <thead>
            <tr>
              <th scope="col" class="line">${t.importRow}</th>
              <th scope="col">${t.importName}</th>
              <th scope="col">${t.email}</th>
              <th scope="col">${t.phone}</th>
              <th scope="col">${t.importStatus}</th>
            </tr>
          </thead>
          <tbody>
            ${shown.map((row) => this.renderRow(row))}
          </tbody>
        </table>
      </div>
      ${shown.length < rows.length ? html`<p class="hint">${t.importShowing(shown.length, rows.length)}</p>` : nothing}`;
  }

  private renderRow(row: ImportRowCheck): TemplateResult {
    const t = strings();
    const input = row.input;
    const kind = row.status === 'ok' ? 'ok' : row.status === 'invalid' ? 'invalid' : 'duplicate';
    const label = { ok: t.importStatusOk, invalid: t.importStatusInvalid, duplicate: t.importStatusDuplicate }[kind];
    return html`<tr data-line=${row.line} data-status=${row.status}>
      <td class="line">${row.line}</td>
      <td>${input ? displayName({ firstName: input.firstName ?? '', lastName: input.lastName ?? '' }) : ''}</td>
      <td>${input?.email ?? ''}</td>
      <td>${input?.phone ?? ''}</td>
      <td class="state-${kind}">
        ${label}
        ${
          row.errors.length
            ? html`<ul class="problems">
                ${row.errors.map((e) => {
                  const column = csvColumnOf(e.field);
                  return html`<li>${column ? html`<code>${column}</code>: ` : nothing}${e.message}</li>`;
                })}
              </ul>`
            : nothing
        }
      </td>
    </tr>`;
  }

  private renderExport(): TemplateResult {
    const t = strings();
    const label = this.customerIds ? t.importExportSelected(this.customerIds.length) : t.importExportAll(this.store.store?.liveCount ?? 0);
    return html`<div part="export">
      <button type="button" part="export-button" class="export" ?disabled=${this.exporting} @click=${this.exportCsv}>${label}</button>
      <p class="status" role="status">${this.exportStatus}</p>
    </div>`;
  }

  /** True while an import saves: no other file is taken meanwhile. */
  private get saving(): boolean {
    return this.stage.kind === 'importing' && (this.stage.progress.phase === 'saving' || this.stage.progress.phase === 'indexing');
  }

  private readonly onFileChange = (e: Event): void => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (file) void this.load(file);
  };

  private readonly onDragOver = (e: DragEvent): void => {
    // Without preventDefault the browser would open the dropped file instead of handing it over.
    e.preventDefault();
    this.dragOver = true;
  };

  private readonly onDrop = (e: DragEvent): void => {
    e.preventDefault();
    this.dragOver = false;
    const file = e.dataTransfer?.files[0];
    if (file && !this.saving) void this.load(file);
  };

  private async load(file: File): Promise<void> {
    const store = this.store.store;
    if (!store) return;
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    const fileName = file.name;
    const onProgress = (progress: ImportProgress) => (this.stage = { kind: 'checking', fileName, progress });
    onProgress({ phase: 'reading', done: 0, total: file.size });
    try {
      const text = await file.text();
      abort.signal.throwIfAborted();
      const parsed = await parseCustomersCsv(text, { signal: abort.signal, onProgress });
      if (parsed.headerErrors.length) {
        this.stage = { kind: 'failed', fileName, errors: parsed.headerErrors };
        return;
      }
      const preview = await previewImport(store, parsed, { signal: abort.signal, onProgress });
      this.rowFilter = preview.counts.invalid + preview.counts.duplicates > 0 ? 'problems' : 'all';
      this.stage = { kind: 'preview', fileName, preview };
    } catch (error) {
      if (abort.signal.aborted) return;
      this.stage = { kind: 'failed', fileName, errors: [error instanceof Error ? error.message : String(error)] };
    }
  }

  private readonly runImport = async (): Promise<void> => {
    const store = this.store.store;
    const stage = this.stage;
    if (!store || stage.kind !== 'preview') return;
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    const { fileName, preview } = stage;
    this.stage = { kind: 'importing', fileName, progress: { phase: 'saving', done: 0, total: preview.counts.ok } };
    // Closing the page before the import's one write would lose all of it: the browser asks first.
    window.addEventListener('beforeunload', keepPageOpen);
    try {
      const result = await importCustomers(store, preview, {
        signal: abort.signal,
        onProgress: (progress) => (this.stage = { kind: 'importing', fileName, progress }),
      });
      this.stage = { kind: 'done', fileName, result };
      this.emit('pos-import-complete', { created: result.created, notImported: result.notImported.length });
      // The import button is gone: move focus to the outcome rather than letting it fall to the page.
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.summary')?.focus();
    } catch (error) {
      if (abort.signal.aborted) return;
      this.stage = { kind: 'failed', fileName, errors: [error instanceof Error ? error.message : String(error)] };
    } finally {
      window.removeEventListener('beforeunload', keepPageOpen);
    }
  };

  private readonly exportCsv = async (): Promise<void> => {
    const store = this.store.store;
    if (!store || this.exporting) return;
    const t = strings();
    this.exporting = true;
    try {
      const ids = this.customerIds ?? store.liveIds();
      const { csv, count } = await exportCustomersCsv(store, ids, { onProgress: (done, total) => (this.exportStatus = t.importExporting(done, total)) });
      const filename = this.filename;
      if (this.emit('pos-customers-export', { csv, count, filename }, { cancelable: true })) this.download(csv, filename);
      this.exportStatus = t.importExported(count);
    } finally {
      this.exporting = false;
    }
  };

  private download(csv: string, filename: string): void {
    // The byte-order mark makes Excel read the file as UTF-8; without it accented names come out garbled.
    const url = URL.createObjectURL(new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = filename;
    link.hidden = true;
    this.renderRoot.append(link);
    link.click();
    link.remove();
    // Revoking at once can cancel the download in some browsers; the URL only needs to outlive its start.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

function keepPageOpen(event: BeforeUnloadEvent): void {
  event.preventDefault();
}

function percent(done: number, total: number): number {
  return total > 0 ? (done / total) * 100 : 0;
}

declare global {
  interface HTMLElementTagNameMap {
    'pos-customer-import': PosCustomerImport;
  }
}
