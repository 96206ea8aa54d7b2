import { css } from 'lit';

export const customerMergeStyles = css`
  :host {
    display: block;
  }
  .base {
    display: flex;
    flex-direction: column;
    gap: var(--pos-form-gap, 1em);
  }
  .title {
    margin: 0;
    font-size: 1.25em;
  }
  .intro,
  .summary {
    margin: 0;
  }
  .records {
    display: grid;
    grid-template-columns: var(--pos-merge-label-width, 9em) 1fr 1fr;
    border-top: 1px solid var(--_border);
  }
  .row {
    display: grid;
    grid-column: 1 / -1;
    grid-template-columns: subgrid;
    align-items: center;
    gap: 0.5em;
    padding: 0.25em 0;
    border-bottom: 1px solid var(--_border);
  }
  .header {
    font-weight: 600;
  }
  .name {
    font-weight: 600;
    font-size: 0.875em;
  }
  .value.both {
    grid-column: 2 / -1;
  }
  .value,
  .option span {
    overflow-wrap: anywhere;
    white-space: pre-wrap;
  }
  .empty span,
  .value.empty {
    color: var(--_muted);
    font-style: italic;
  }
  .tag {
    display: inline-block;
    padding: 0 0.5em;
    border-radius: var(--_radius);
    background: var(--_accent);
    color: var(--_accent-text);
    font-size: 0.875em;
  }
  .tag.remove {
    background: var(--_surface-2);
    color: var(--_text);
    border: 1px solid var(--_border);
  }
  .option {
    display: flex;
    align-items: center;
    gap: 0.5em;
    min-height: var(--_target);
    padding: 0 0.5em;
    border: 1px solid transparent;
    border-radius: var(--_radius);
    cursor: pointer;
  }
  .option:has(input:checked) {
    border-color: var(--_accent);
    background: var(--_surface-2);
  }
  .option input {
    width: 1.25em;
    height: 1.25em;
    min-height: 0;
    padding: 0;
    margin: 0;
    flex: none;
    accent-color: var(--_accent);
  }
  .option.both-notes {
    grid-column: 2 / -1;
  }
  .swap {
    align-self: flex-start;
  }
  .addresses h3 {
    margin: 0 0 0.25em;
    font-size: 1em;
  }
  .addresses ul {
    margin: 0;
    padding-left: 1.25em;
  }
  .from {
    color: var(--_muted);
  }
`;
