import { css } from 'lit';

export const syncStatusStyles = css`
  :host {
    display: inline-flex;
  }
  [part='base'] {
    display: inline-flex;
    align-items: center;
    gap: 0.5em;
    padding: 0.25em 0.75em;
    border-radius: 999px;
    background: var(--_surface-2);
    color: var(--_text);
    font-size: 0.875em;
    min-height: 2em;
  }
  [part='dot'] {
    width: 0.625em;
    height: 0.625em;
    border-radius: 50%;
    background: var(--pos-status-offline, #8c959f);
    flex: none;
  }
  :host([state='online']) [part='dot'] {
    background: var(--pos-status-online, #1a7f37);
  }
  :host([state='connecting']) [part='dot'] {
    background: var(--pos-status-connecting, #bf8700);
  }
  :host([state='refused']) [part='dot'] {
    background: var(--_danger);
  }
  .detail {
    color: var(--_muted);
  }
  .warning {
    color: var(--_danger);
  }
`;
