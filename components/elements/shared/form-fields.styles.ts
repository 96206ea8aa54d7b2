import { css } from 'lit';

/** Fields, sections and buttons shared by <pos-customer-form> and <pos-address-editor>. */
export const formFieldStyles = css`
  .fields {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, var(--pos-field-min-width, 14em)), 1fr));
    gap: 0.75em 1em;
  }
  .fields[hidden] {
    display: none;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 0.25em;
    min-width: 0;
  }
  .field.wide {
    grid-column: 1 / -1;
  }
  [part~='label'] {
    font-weight: 600;
    font-size: 0.875em;
  }
  .required {
    font-weight: 400;
    color: var(--_muted);
  }
  input:not([type='checkbox']),
  select,
  textarea {
    width: 100%;
    min-height: var(--_target);
    padding: 0.5em 0.75em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  textarea {
    resize: vertical;
  }
  input:focus,
  select:focus,
  textarea:focus {
    outline: none;
    border-color: var(--_accent);
    box-shadow: var(--_focus);
  }
  [aria-invalid='true'] {
    border-color: var(--_danger);
    box-shadow: inset 0 0 0 1px var(--_danger);
  }
  .error {
    margin: 0;
    color: var(--_danger);
    font-size: 0.875em;
  }
  fieldset {
    margin: 0;
    padding: 0.75em 1em 1em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    min-width: 0;
  }
  legend {
    padding: 0 0.25em;
    font-weight: 700;
  }
  button {
    min-height: var(--_target);
    min-width: var(--_target);
    padding: 0.25em 1em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    cursor: pointer;
  }
  button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-text);
    font-weight: 600;
  }
  button:disabled,
  button[aria-disabled='true'] {
    cursor: not-allowed;
    background: var(--_surface-2);
    border-color: var(--_border);
    color: var(--_muted);
  }
  .open-existing {
    align-self: flex-start;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    gap: 0.5em;
  }
  .alert {
    margin: 0;
    padding: 0.5em 0.75em;
    border-left: 4px solid var(--_danger);
    border-radius: var(--_radius);
    background: var(--_surface-2);
    color: var(--_danger);
  }
  .alert ul {
    margin: 0.25em 0 0;
    padding-left: 1.25em;
  }
  .status {
    margin: 0;
    min-height: 1.25em;
    color: var(--_muted);
    font-size: 0.875em;
  }
`;
