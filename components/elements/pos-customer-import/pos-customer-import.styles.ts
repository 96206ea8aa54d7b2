import { css } from 'lit';

export const customerImportStyles = css`
  :host {
    display: block;
  }
  [part~='base'] {
    display: flex;
    flex-direction: column;
    gap: var(--pos-form-gap, 1em);
  }
  [part~='drop-zone'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em 1em;
    padding: 1em;
    border: 2px dashed var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  [part~='drop-zone'].over {
    border-color: var(--_accent);
    background: var(--_surface-2);
  }
  [part~='drop-zone'] input {
    min-height: var(--_target);
  }
  .hint {
    margin: 0;
    color: var(--_muted);
    font-size: 0.875em;
  }
  .hint code {
    overflow-wrap: anywhere;
  }
  [part~='progress'] {
    display: flex;
    flex-direction: column;
    gap: 0.25em;
  }
  [part~='progress-bar'] {
    height: 0.75em;
    border-radius: 999px;
    background: var(--_surface-2);
    overflow: hidden;
  }
  [part~='progress-bar'] > span {
    display: block;
    height: 100%;
    background: var(--_accent);
    transition: width 0.1s linear;
  }
  [part~='summary'] {
    margin: 0;
    font-weight: 600;
  }
  .controls {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    justify-content: space-between;
    gap: 0.75em;
  }
  .controls .field {
    flex-direction: row;
    align-items: center;
    gap: 0.5em;
  }
  .controls select {
    width: auto;
  }
  .table-wrap {
    max-height: var(--pos-import-preview-height, 24rem);
    overflow: auto;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  [part~='preview-table'] {
    width: 100%;
    border-collapse: collapse;
    font-size: 0.875em;
  }
  [part~='preview-table'] th,
  [part~='preview-table'] td {
    padding: 0.375em 0.75em;
    border-bottom: 1px solid var(--_border);
    text-align: start;
    vertical-align: top;
  }
  [part~='preview-table'] thead th {
    position: sticky;
    top: 0;
    background: var(--_surface-2);
  }
  .line {
    font-variant-numeric: tabular-nums;
    text-align: end;
  }
  .state-ok {
    color: var(--pos-import-ok, #1a7f37);
  }
  .state-invalid,
  .state-duplicate {
    color: var(--_danger);
  }
  .problems {
    margin: 0.25em 0 0;
    padding-left: 1.25em;
    color: var(--_text);
  }
  .problems code {
    font-size: 0.9em;
  }
  [part~='export'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.75em;
  }
`;
