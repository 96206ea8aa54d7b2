import { css } from 'lit';

export const customerDuplicatesStyles = css`
  :host {
    display: block;
  }
  .status {
    margin: 0 0 0.5em;
    color: var(--_muted);
  }
  .list {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.5em;
  }
  .item {
    display: grid;
    grid-template-columns: 1fr auto;
    align-items: center;
    gap: 0.25em 1em;
    padding: 0.5em 0.75em;
    border-radius: var(--_radius);
    background: var(--pos-notice-background, #fff8c5);
    border: 1px solid var(--pos-notice-border, #d4a72c);
  }
  .names {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .name {
    font-weight: 600;
  }
  .details {
    color: var(--_muted);
    margin-inline-start: 0.5em;
    overflow-wrap: anywhere;
  }
  .shared {
    grid-column: 1;
    margin: 0;
    font-size: 0.875em;
  }
  [part='review-button'] {
    grid-column: 2;
    grid-row: 1 / span 2;
    min-height: var(--_target);
    padding: 0.25em 1em;
    border: 1px solid var(--_accent);
    border-radius: var(--_radius);
    background: var(--_accent);
    color: var(--_accent-text);
    font-weight: 600;
    cursor: pointer;
  }
  dialog {
    width: var(--pos-merge-dialog-width, min(48rem, 100vw - 2rem));
    max-height: calc(100dvh - 2rem);
    padding: 1em 1.25em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
  }
  dialog::backdrop {
    background: var(--pos-backdrop, rgba(0, 0, 0, 0.4));
  }
`;
