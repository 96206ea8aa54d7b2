import { css } from 'lit';

export const customerFormStyles = css`
  :host {
    display: block;
  }
  [part~='base'] {
    display: flex;
    flex-direction: column;
    gap: var(--pos-form-gap, 1em);
  }
  [part~='title'] {
    margin: 0;
    font-size: 1.25em;
  }
  [part~='section'] {
    display: flex;
    flex-direction: column;
    gap: 0.75em;
  }
  .sections {
    display: flex;
    flex-direction: column;
    gap: var(--pos-form-gap, 1em);
  }
  .sections[hidden] {
    display: none;
  }
  [part~='toggle'] {
    align-self: flex-start;
  }
  [part~='toggle']::after {
    /* The arrow is decoration: the empty alternative keeps it out of the button's accessible name. */
    content: ' ▾' / '';
  }
  [part~='toggle'][aria-expanded='true']::after {
    content: ' ▴' / '';
  }
  .check {
    display: inline-flex;
    align-items: center;
    gap: 0.5em;
    min-height: var(--_target);
    align-self: flex-start;
    cursor: pointer;
  }
  .check input {
    width: 1.25em;
    height: 1.25em;
    margin: 0;
    accent-color: var(--_accent);
  }
  .alert p {
    margin: 0;
  }
  /* A grid cell: the field, then another till's change to it. */
  .cell {
    display: flex;
    flex-direction: column;
    gap: 0.5em;
    min-width: 0;
  }
  .cell.wide {
    grid-column: 1 / -1;
  }
  .conflict {
    display: flex;
    flex-direction: column;
    gap: 0.5em;
    padding: 0.5em 0.75em;
    border-left: 4px solid var(--_accent);
    border-radius: var(--_radius);
    background: var(--_surface-2);
  }
  .conflict p {
    margin: 0;
    /* Their value is shown whole (a note may span lines); a long word must not widen the grid. */
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .conflict-actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em;
  }
  .presence {
    margin: 0;
  }
  /* Empty, it stays in the page (a live region must exist before it speaks) but takes no room: its
     negative margin cancels the form's gap. */
  .presence:empty {
    margin-bottom: calc(-1 * var(--pos-form-gap, 1em));
  }
  .presence:not(:empty) {
    padding: 0.5em 0.75em;
    border-left: 4px solid var(--_accent);
    border-radius: var(--_radius);
    background: var(--_surface-2);
  }
  [part~='history'] summary {
    display: flex;
    align-items: center;
    gap: 0.5em;
    min-height: var(--_target);
    font-weight: 700;
    cursor: pointer;
    list-style: none;
  }
  [part~='history'] summary::-webkit-details-marker {
    display: none;
  }
  /* The marker a flex summary loses, as decoration: the empty alternative keeps it out of the name. */
  [part~='history'] summary::before {
    content: '▸' / '';
  }
  [part~='history'][open] summary::before {
    content: '▾' / '';
  }
  [part~='history'] summary:focus-visible {
    outline: none;
    box-shadow: var(--_focus);
  }
  [part~='problems'] {
    margin: 0;
    padding-left: 1.25em;
    font-family: ui-monospace, monospace;
    font-size: 0.875em;
  }
`;
