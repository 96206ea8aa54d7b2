import { css } from 'lit';

export const storeNoticesStyles = css`
  :host {
    display: block;
  }
  [part='list'] {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.5em;
  }
  [part='notice'] {
    display: flex;
    align-items: center;
    gap: 0.75em;
    padding: 0.5em 0.75em;
    border-radius: var(--_radius);
    background: var(--pos-notice-background, #fff8c5);
    color: var(--pos-notice-text, var(--_text));
    border: 1px solid var(--pos-notice-border, #d4a72c);
  }
  [part='message'] {
    flex: 1;
  }
  [part='dismiss'] {
    min-height: var(--_target);
    min-width: var(--_target);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    cursor: pointer;
  }
`;
