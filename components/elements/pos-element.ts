import { LitElement, css } from 'lit';
import { property } from 'lit/decorators.js';
import { emit, type PosEventDetails, type PosEventName } from '../events/pos-events.js';

/**
 * The thin base of our elements: shared host styles (the `--pos-…` theme with defaults that look right
 * without host CSS), a typed `emit`, and `store-ref` for elements outside a <pos-customers>.
 */
export class PosElement extends LitElement {
  static baseStyles = css`
    :host {
      --_accent: var(--pos-accent, #1f6feb);
      --_accent-text: var(--pos-accent-text, #ffffff);
      --_text: var(--pos-text, #1b1f24);
      --_muted: var(--pos-muted, #57606a);
      --_surface: var(--pos-surface, #ffffff);
      --_surface-2: var(--pos-surface-2, #f3f5f7);
      --_border: var(--pos-border, #c9d1d9);
      --_danger: var(--pos-danger, #c62828);
      --_radius: var(--pos-radius, 8px);
      --_target: var(--pos-touch-target, 44px);
      --_focus: var(--pos-focus-ring, 0 0 0 3px rgba(31, 111, 235, 0.45));
      font-family: var(--pos-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
      font-size: var(--pos-font-size, 16px);
      color: var(--_text);
      box-sizing: border-box;
    }
    :host([hidden]) {
      display: none !important;
    }
    *,
    *::before,
    *::after {
      box-sizing: inherit;
    }
    button,
    input,
    select,
    textarea {
      font: inherit;
      color: inherit;
    }
    :focus-visible {
      outline: none;
      box-shadow: var(--_focus);
    }
    .visually-hidden {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      white-space: nowrap;
    }
  `;

  /** The id of the <pos-customers> element to use, for an element placed outside one. */
  @property({ attribute: 'store-ref' }) storeRef = '';

  protected emit<N extends PosEventName>(name: N, detail: PosEventDetails[N], options: { cancelable?: boolean } = {}): boolean {
    return emit(this, name, detail, options);
  }
}
