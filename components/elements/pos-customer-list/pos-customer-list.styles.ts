import { css } from 'lit';

export const customerListStyles = css`
  :host {
    --_row-height: max(var(--pos-customer-list-row-height, 3.25rem), var(--_target));
    --_columns: var(
      --pos-customer-list-columns,
      3.25rem minmax(10rem, 2fr) minmax(11rem, 2fr) minmax(9rem, 1.2fr) minmax(7rem, 1fr) minmax(7.5rem, 1fr) minmax(7.5rem, 1fr) 11rem
    );
    display: flex;
    flex-direction: column;
    gap: 0.5rem;
    height: var(--pos-customer-list-height, 36rem);
    min-height: 20rem;
  }

  button,
  select,
  input[type='search'] {
    min-height: var(--_target);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  button {
    min-width: var(--_target);
    padding: 0 0.875rem;
    cursor: pointer;
  }
  button:hover:not(:disabled) {
    background: var(--_surface-2);
  }
  button:disabled,
  select:disabled {
    cursor: not-allowed;
    opacity: 0.55;
  }
  select {
    padding: 0 0.5rem;
  }
  .danger {
    border-color: var(--_danger);
    color: var(--_danger);
  }
  .danger.confirm {
    background: var(--_danger);
    color: #fff;
  }
  .danger.confirm:hover {
    background: var(--_danger);
    filter: brightness(0.92);
  }

  .toolbar,
  .selection-bar,
  .notice-line,
  .assign {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
  }
  .search {
    flex: 1 1 16rem;
  }
  .search input {
    width: 100%;
    padding: 0 0.75rem;
  }
  .field {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
  }
  .count,
  .selected-count {
    color: var(--_muted);
    white-space: nowrap;
  }
  .assign {
    margin-inline-start: auto;
  }

  .notice:empty {
    display: none;
  }
  .notice {
    padding: 0.25rem 0.75rem;
    border-radius: var(--_radius);
    background: var(--_surface-2);
  }
  .kept p {
    margin: 0.5rem 0 0.25rem;
    font-weight: 600;
  }
  .kept ul {
    margin: 0 0 0.5rem;
    padding-inline-start: 1.25rem;
  }
  .reason {
    font-weight: 600;
  }

  .table {
    flex: 1;
    min-height: 0;
    display: flex;
    flex-direction: column;
    overflow-x: auto;
    overflow-y: hidden;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  .head,
  .rows {
    min-width: 68rem;
  }
  .rows {
    flex: 1;
    min-height: 0;
    overflow-y: auto;
    overflow-x: hidden;
    /* Scrolling moves only the block of rows: nothing outside it is laid out again. */
    contain: strict;
    /* Rows come and go above the view as it scrolls; the sizer keeps every offset, nothing to anchor. */
    overflow-anchor: none;
  }
  .rows-sizer {
    position: relative;
    overflow: hidden;
  }
  .row {
    display: grid;
    grid-template-columns: var(--_columns);
    align-items: center;
    width: 100%;
    height: var(--_row-height);
    border-bottom: 1px solid var(--_surface-2);
  }
  .rows .row {
    contain: strict;
  }
  .row.header {
    height: auto;
    min-height: var(--_row-height);
    background: var(--_surface-2);
    border-bottom-color: var(--_border);
    font-weight: 600;
  }
  [part~='row-selected'] {
    background: var(--pos-row-selected, #ddf4ff);
  }
  [role='cell'],
  [role='columnheader'] {
    min-width: 0;
    padding: 0 0.5rem;
  }
  [role='cell'] {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  /*
   * A header names its column: in a column too narrow for it (a host's columns, a longer translation) it
   * wraps, breaking a word only when the word alone is too wide, rather than being cut. The header row grows.
   */
  [role='columnheader'] {
    overflow-wrap: anywhere;
  }
  /* A date too wide for its column puts the year on a second line; the row has room for two. */
  time[role='cell'] {
    white-space: normal;
    line-height: 1.25;
  }
  [role='columnheader'].check,
  [role='columnheader'].sortable,
  [role='cell'].check {
    padding: 0;
  }
  .target {
    display: flex;
    align-items: center;
    justify-content: center;
    width: var(--_target);
    height: var(--_target);
    cursor: pointer;
  }
  .target input {
    width: 1.25rem;
    height: 1.25rem;
    margin: 0;
    cursor: inherit;
  }
  /* The whole header is the button, its label in line with the column's cells; the arrow wraps below it if need be. */
  .sort {
    display: flex;
    flex-wrap: wrap;
    align-content: center;
    align-items: baseline;
    column-gap: 0.375rem;
    width: 100%;
    padding: 0.25rem 0.5rem;
    border-color: transparent;
    background: transparent;
    font-weight: inherit;
    text-align: start;
  }
  .sort .label {
    min-width: 0;
  }
  .arrow {
    color: var(--_muted);
    font-size: 0.75em;
  }
  .name-cell {
    display: flex;
    align-items: center;
    gap: 0.5rem;
  }
  .name {
    min-width: 3em;
    overflow: hidden;
    text-overflow: ellipsis;
    font-weight: 500;
  }
  /* In a narrow name column both give way, so the name never shrinks to an ellipsis alone. */
  .presence {
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    padding: 0.125rem 0.5rem;
    border-radius: 999px;
    box-shadow: inset 0 0 0 1px var(--_accent);
    background: var(--_surface-2);
    font-size: 0.8125em;
  }
  .group {
    display: inline-block;
    max-width: 100%;
    padding: 0.125rem 0.5rem;
    border-inline-start: 0.25rem solid var(--_group-color, var(--_border));
    border-radius: 0.25rem;
    background: var(--_surface-2);
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .options {
    display: flex;
    gap: 0.375rem;
    justify-content: flex-end;
  }
  .empty {
    margin: 0;
    padding: 1rem;
    color: var(--_muted);
    text-align: center;
  }

  .invalid {
    flex: none;
    max-height: 30%;
    overflow: auto;
    padding: 0.5rem 0.75rem;
    border: 1px solid var(--_danger);
    border-radius: var(--_radius);
  }
  .invalid summary {
    min-height: var(--_target);
    display: flex;
    align-items: center;
    cursor: pointer;
    color: var(--_danger);
  }
  .invalid ul {
    margin: 0.25rem 0;
    padding-inline-start: 1.25rem;
  }

  [part='dialog'] {
    width: min(30rem, calc(100vw - 2rem));
    padding: 1.25rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
    box-shadow: 0 12px 40px rgba(0, 0, 0, 0.25);
  }
  [part='dialog']::backdrop {
    background: var(--pos-backdrop, rgba(15, 20, 25, 0.45));
  }
  [part='dialog'] h2 {
    margin: 0 0 0.5rem;
    font-size: 1.25em;
  }
  [part='dialog'] .names {
    color: var(--_muted);
  }
  .actions {
    display: flex;
    justify-content: flex-end;
    gap: 0.5rem;
    margin-top: 1rem;
  }
`;
