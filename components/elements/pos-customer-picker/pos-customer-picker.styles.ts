import { css } from 'lit';

export const customerPickerStyles = css`
  :host {
    display: inline-block;
    max-width: 100%;
  }
  .icon {
    width: 1.25em;
    height: 1.25em;
    flex: none;
  }

  [part='button'] {
    display: inline-flex;
    align-items: center;
    gap: 0.5em;
    max-width: 100%;
    min-height: var(--_target);
    padding: 0.5em 0.75em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    cursor: pointer;
  }
  [part='button']:hover:not(:disabled) {
    background: var(--_surface-2);
  }
  [part='button']:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }
  [part='icon'] {
    color: var(--_muted);
  }
  .label {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .moved-note {
    margin: 0.25em 0 0;
    font-size: 0.875em;
    color: var(--_muted);
  }

  [part='dialog'] {
    width: var(--pos-picker-width, min(34rem, calc(100vw - 2rem)));
    height: var(--pos-picker-height, min(40rem, calc(100dvh - 2rem)));
    max-width: 100vw;
    max-height: 100dvh;
    padding: 0;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
    box-shadow: 0 12px 40px rgba(0, 0, 0, 0.25);
  }
  [part='dialog'][open] {
    display: flex;
    flex-direction: column;
  }
  [part='dialog']::backdrop {
    background: var(--pos-backdrop, rgba(15, 20, 25, 0.45));
  }
  .header {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 0.5em;
    padding: 0.25em 0.25em 0.25em 1em;
    border-bottom: 1px solid var(--_surface-2);
  }
  [part='title'] {
    margin: 0;
    font-size: 1.125em;
  }
  .icon-button {
    display: inline-grid;
    place-items: center;
    width: var(--_target);
    height: var(--_target);
    padding: 0;
    border: none;
    border-radius: var(--_radius);
    background: none;
    cursor: pointer;
  }
  .icon-button:hover {
    background: var(--_surface-2);
  }

  .search {
    padding: 0.75em 1em 0.25em;
  }
  [part='search'] {
    width: 100%;
    min-height: var(--_target);
    padding: 0.5em 0.75em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  [part='search']::placeholder {
    color: var(--_muted);
  }
  [part='search']:focus {
    outline: none;
    border-color: var(--_accent);
    box-shadow: var(--_focus);
  }
  .status {
    margin: 0;
    /* Its own font is smaller: in the panel's em it lines up with the search field. */
    padding: 0.25em calc(1em / 0.875) 0.5em;
    color: var(--_muted);
    font-size: 0.875em;
  }

  [part='listbox'] {
    flex: 1 1 auto;
    min-height: 0;
    overflow-y: auto;
    border-top: 1px solid var(--_surface-2);
    /* A new search moves only the block of options: nothing outside the list is laid out again. */
    contain: strict;
    overflow-anchor: none;
  }
  .sizer {
    overflow: hidden;
  }
  .option {
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto;
    align-items: center;
    column-gap: 0.75em;
    /* Every option is one height, so the list knows where each sits without measuring them. */
    height: var(--pos-picker-option-height, max(var(--_target), 3.5em));
    overflow: hidden;
    padding: 0 1em;
    border-bottom: 1px solid var(--_surface-2);
    cursor: pointer;
    contain: strict;
  }
  .option:hover {
    background: var(--_surface-2);
  }
  .option[aria-selected='true'] {
    background: var(--pos-option-active, #e7f0fd);
    box-shadow: inset 4px 0 0 var(--_accent);
  }
  .name,
  .details {
    grid-column: 1;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .name {
    font-weight: 600;
  }
  .details {
    color: var(--_muted);
    font-size: 0.875em;
  }
  .details:empty {
    display: none;
  }
  .badges {
    grid-column: 2;
    grid-row: 1 / span 2;
    display: flex;
    flex-direction: column;
    align-items: flex-end;
    gap: 0.25em;
  }
  .group,
  .presence {
    padding: 0.125em 0.5em;
    border-radius: 999px;
    background: var(--_surface-2);
    color: var(--_text);
    font-size: 0.8125em;
    white-space: nowrap;
  }
  .presence {
    /* Someone else is on this customer: set apart from the group badge without relying on colour alone (the text says it). */
    box-shadow: inset 0 0 0 1px var(--_accent);
  }
  mark {
    background: var(--pos-highlight, #fff0a8);
    color: var(--pos-highlight-text, inherit);
    border-radius: 2px;
  }
  .invalid-option {
    cursor: default;
  }
  .invalid-option .name {
    color: var(--_danger);
  }
  .create-option {
    color: var(--_accent);
  }
  .create-option .name {
    display: flex;
    align-items: center;
    gap: 0.5em;
  }
  .create-option[aria-selected='true'] {
    color: var(--_text);
  }

  .footer {
    display: flex;
    justify-content: flex-end;
    padding: 0.5em 1em;
    border-top: 1px solid var(--_surface-2);
  }
  [part='walk-in-button'] {
    min-height: var(--_target);
    padding: 0.5em 1em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    cursor: pointer;
  }
  [part='walk-in-button']:hover {
    background: var(--_surface-2);
  }
  [part='form'] {
    display: block;
    flex: 1 1 auto;
    overflow: auto;
    padding: 0.75em 1em;
  }
`;
