import { expect } from '@esm-bundle/chai';
import '../../../components/elements/pos-sync-status/pos-sync-status.js';
import { cleanUpPage, expectNoAxeViolations, mountStore, until } from '../helpers.js';

const statusText = (el: Element) => el.shadowRoot?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

describe('<pos-sync-status>', () => {
  afterEach(cleanUpPage);

  it('says offline and counts changes waiting when the till has no server', async () => {
    const root = await mountStore('<pos-sync-status></pos-sync-status>');
    const status = root.querySelector('pos-sync-status')!;
    await until(() => statusText(status).includes('Offline'), 'offline state');
    expect(status.getAttribute('state')).to.equal('offline');
    await expectNoAxeViolations(status);
  });

  it('shows that it has no store outside a <pos-customers>', async () => {
    const lone = document.createElement('pos-sync-status');
    document.body.append(lone);
    await until(() => statusText(lone).includes('Not connected'), 'no-store message');
  });

  it('follows a store named by store-ref from elsewhere on the page', async () => {
    const root = await mountStore('');
    root.id = 'shop-store';
    const elsewhere = document.createElement('pos-sync-status');
    elsewhere.setAttribute('store-ref', 'shop-store');
    document.body.append(elsewhere);
    await until(() => statusText(elsewhere).includes('Offline'), 'status from the referenced store');
  });
});
