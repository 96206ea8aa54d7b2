import '../components/index.js';
import { connect } from './demo-config.js';

const template = document.getElementById('till-template') as HTMLTemplateElement;
const container = document.getElementById('tills')!;

for (const till of ['till-1', 'till-2', 'till-3']) {
  const fragment = template.content.cloneNode(true) as DocumentFragment;
  const section = fragment.querySelector('section')!;
  const name = till.replace('till-', 'Till ');
  section.setAttribute('aria-label', name);
  section.dataset.till = till;
  section.querySelector('.till-name')!.textContent = name;
  const root = section.querySelector('pos-customers')!;
  connect(root, till, name);
  const picker = section.querySelector('pos-customer-picker')!;
  const form = section.querySelector('pos-customer-form')!;
  const addresses = section.querySelector('pos-address-editor')!;
  section.querySelector<HTMLInputElement>('.online')!.addEventListener('change', (event) => {
    root.toggleAttribute('offline', !(event.target as HTMLInputElement).checked);
  });
  // Each till edits the customer it picked, in place, so two tills can work on the same customer. A customer
  // deleted elsewhere stays in the form (it says so and offers to restore it, keeping what was typed).
  picker.addEventListener('pos-customer-select', (event) => {
    if (event.detail.reason === 'deleted') return;
    const id = event.detail.customer?.id ?? '';
    for (const el of [form, addresses]) {
      el.toggleAttribute('hidden', !id);
      if (id) el.setAttribute('customer-id', id);
    }
  });
  container.append(fragment);
}
