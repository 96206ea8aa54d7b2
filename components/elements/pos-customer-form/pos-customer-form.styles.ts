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
  [part~='problems'] {
    margin: 0;
    padding-left: 1.25em;
    font-family: ui-monospace, monospace;
    font-size: 0.875em;
  }
`;
