import { html, nothing } from 'lit';
import { customElement } from 'lit/decorators.js';
import { StoreController } from '../../controllers/store-controller.js';
import { strings } from '../../i18n/strings.js';
import { PosElement } from '../pos-element.js';
import { syncStatusStyles } from './pos-sync-status.styles.js';

/**
 * @summary This till's link to the store: online / offline / connecting, changes waiting to sync, other
 * tills online, and a warning when customers are not being saved on the device.
 *
 * @csspart base - The badge.
 * @csspart dot - The coloured state dot.
 * @cssprop --pos-status-online - Dot colour when online.
 * @cssprop --pos-status-offline - Dot colour when offline.
 * @cssprop --pos-status-connecting - Dot colour while connecting.
 */
@customElement('pos-sync-status')
export class PosSyncStatus extends PosElement {
  static override styles = [PosElement.baseStyles, syncStatusStyles];

  private readonly store = new StoreController(this, { relevant: () => false });

  protected override render() {
    const t = strings();
    const handle = this.store.handle;
    if (!handle) return html`<span part="base" role="status"><span part="dot"></span>${t.noStore}</span>`;
    const connection = this.store.connectionStatus;
    const storage = this.store.storageStatus;
    const state = connection?.state ?? 'offline';
    this.setAttribute('state', state);
    const label = { online: t.online, offline: t.offline, connecting: t.connecting, refused: t.accessRefused }[state];
    const pending = connection?.pendingChanges ?? 0;
    const peers = connection?.peers.length ?? 0;
    return html`<span part="base" role="status" aria-live="polite">
      <span part="dot"></span>
      <span class="state">${state === 'online' && connection && !connection.synced ? t.syncing : label}</span>
      ${pending > 0 ? html`<span class="detail">· ${t.pendingChanges(pending)}</span>` : nothing}
      ${state === 'online' && peers > 0 ? html`<span class="detail">· ${t.tillsOnline(peers)}</span>` : nothing}
      ${storage?.mode === 'memory' ? html`<span class="warning" title=${storage.reason}>· ${t.notSavedOnDevice}</span>` : nothing}
    </span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pos-sync-status': PosSyncStatus;
  }
}
