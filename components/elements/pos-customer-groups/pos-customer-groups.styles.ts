import { css } from 'lit';

export const customerGroupsStyles = css`
  :host {
    display: block;
  }
  [part~='base'] {
    display: flex;
    flex-direction: column;
    gap: var(--pos-form-gap, 1em);
  }
  .table-scroll {
    overflow-x: auto;
    /* Its content's width must not widen a grid or flex cell the element sits in. */
    contain: inline-size;
  }
  [part~='table'] {
    width: 100%;
    border-collapse: collapse;
  }
  th,
  td {
    padding: 0.5em 0.75em;
    border-bottom: 1px solid var(--_border);
    text-align: start;
    vertical-align: middle;
  }
  thead th {
    font-size: 0.875em;
    color: var(--_muted);
  }
  tbody th {
    font-weight: 600;
  }
  .number {
    text-align: end;
    font-variant-numeric: tabular-nums;
  }
  .description {
    color: var(--_muted);
    overflow-wrap: anywhere;
  }
  .swatch {
    display: inline-block;
    width: 0.75em;
    height: 0.75em;
    margin-inline-end: 0.5em;
    border-radius: 50%;
    vertical-align: baseline;
  }
  td.row-actions {
    white-space: nowrap;
    text-align: end;
  }
  td.row-actions button + button {
    margin-inline-start: 0.5em;
  }
  button.danger {
    border-color: var(--_danger);
    color: var(--_danger);
  }
  button.danger.primary {
    background: var(--_danger);
    color: var(--_accent-text);
  }
  [part~='empty'] {
    margin: 0;
    color: var(--_muted);
  }
  [part~='form'] .actions {
    margin-top: 0.75em;
  }
  [part~='dialog'] {
    max-width: min(32em, calc(100vw - 2em));
    padding: 1.25em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
  }
  [part~='dialog']::backdrop {
    background: rgba(0, 0, 0, 0.4);
  }
  [part~='dialog'] h2 {
    margin: 0 0 0.75em;
    font-size: 1.125em;
  }
  [part~='dialog'] .field {
    margin-bottom: 1em;
  }
  [part~='dialog'] p {
    margin: 0 0 1em;
  }
`;
