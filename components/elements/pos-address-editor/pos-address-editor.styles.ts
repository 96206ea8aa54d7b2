import { css } from 'lit';

export const addressEditorStyles = css`
  :host {
    display: block;
  }
  [part~='base'] {
    display: flex;
    flex-direction: column;
    gap: 0.75em;
  }
  [part~='title'] {
    margin: 0;
    font-size: 1.125em;
  }
  [part~='list'] {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: 0.5em;
  }
  [part~='address'] {
    display: flex;
    flex-direction: column;
    gap: 0.5em;
    padding: 0.75em 1em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  .summary {
    margin: 0;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.25em 0.5em;
  }
  .name {
    color: var(--_muted);
  }
  [part~='badge'] {
    display: inline-block;
    padding: 0.125em 0.625em;
    border-radius: 999px;
    background: var(--pos-badge-background, var(--_surface-2));
    color: var(--pos-badge-text, var(--_text));
    font-size: 0.8125em;
    font-weight: 600;
  }
  [part~='address-actions'],
  [part~='confirm'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em;
    align-items: center;
  }
  [part~='confirm'] p {
    margin: 0;
    font-weight: 600;
  }
  button.danger {
    background: var(--_danger);
    border-color: var(--_danger);
    color: var(--_accent-text);
  }
  [part~='new-button'] {
    align-self: flex-start;
  }
  form {
    display: contents;
  }
  fieldset {
    display: flex;
    flex-direction: column;
    gap: 0.75em;
  }
`;
