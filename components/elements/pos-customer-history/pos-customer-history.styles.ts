import { css } from 'lit';

export const customerHistoryStyles = css`
  :host {
    display: block;
  }
  [part~='list'] {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    max-height: var(--pos-history-max-height, none);
    overflow-y: auto;
  }
  [part~='list']:focus-visible {
    box-shadow: var(--_focus);
  }
  [part~='entry'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em 1em;
    padding: 0.5em 0;
    border-bottom: 1px solid var(--_border);
  }
  [part~='entry']:last-child {
    border-bottom: none;
  }
  .what {
    flex: 1 1 16em;
    display: flex;
    flex-direction: column;
    gap: 0.125em;
    min-width: 0;
  }
  [part~='field'] {
    font-weight: 600;
  }
  [part~='change'] {
    /* A note is shown whole, line breaks kept; a long word must not widen the list. */
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  [part~='before'] {
    color: var(--_muted);
  }
  [part~='meta'],
  .bulk,
  .empty {
    color: var(--_muted);
    font-size: 0.875em;
  }
  .empty {
    margin: 0.5em 0 0;
  }
  .problems {
    margin: 0;
    padding-left: 1.25em;
    font-family: ui-monospace, monospace;
    font-size: 0.875em;
  }
  [part~='invalid-entry'] [part~='field'] {
    color: var(--_danger);
  }
  [part~='more-button'] {
    margin-top: 0.5em;
  }
  [part~='error'] {
    flex-basis: 100%;
    margin: 0;
    color: var(--_danger);
    font-size: 0.875em;
  }
`;
