import { css } from 'lit';

export const storeSettingsStyles = css`
  :host {
    display: block;
  }
  [part~='base'],
  [part~='form'] {
    display: flex;
    flex-direction: column;
    gap: var(--pos-form-gap, 1em);
  }
  .hint {
    margin: 0 0 0.75em;
    color: var(--_muted);
    font-size: 0.875em;
  }
  .fields + .hint {
    margin: 0.5em 0 0;
  }
  .check {
    display: flex;
    align-items: center;
    gap: 0.5em;
    min-height: var(--_target);
    cursor: pointer;
  }
  .check input {
    width: 1.25em;
    height: 1.25em;
    margin: 0;
    accent-color: var(--_accent);
  }
  [part~='walk-in'] {
    display: flex;
    flex-direction: column;
    gap: 0.75em;
  }
  [part~='walk-in'] > p {
    margin: 0;
  }
  [part~='current-walk-in'] .detail {
    color: var(--_muted);
  }
  .walk-in-actions {
    align-self: flex-start;
  }
  .combobox {
    position: relative;
  }
  [part~='results'] {
    position: absolute;
    z-index: 1;
    inset-inline: 0;
    top: calc(100% + 2px);
    margin: 0;
    padding: 0.25em 0;
    list-style: none;
    max-height: 16em;
    overflow-y: auto;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    box-shadow: 0 4px 16px rgba(0, 0, 0, 0.12);
  }
  [part~='option'] {
    display: flex;
    flex-direction: column;
    justify-content: center;
    min-height: var(--_target);
    padding: 0.25em 0.75em;
    cursor: pointer;
  }
  [part~='option'][aria-selected='true'] {
    background: var(--_surface-2);
    box-shadow: inset 3px 0 0 var(--_accent);
  }
  [part~='option'] .detail {
    color: var(--_muted);
    font-size: 0.875em;
  }
`;
