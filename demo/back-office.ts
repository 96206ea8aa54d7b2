import '../components/index.js';
import type { PosCustomers } from '../components/elements/pos-customers/pos-customers.js';
import { connect, tillFromUrl } from './demo-config.js';
import { seedCustomers } from './seed.js';

const shop = document.getElementById('shop') as PosCustomers;
connect(shop, tillFromUrl('back-office'), 'Back office');

const form = document.getElementById('form')!;
const formDialog = document.getElementById('form-dialog') as HTMLDialogElement;

function openForm(customerId: string): void {
  if (customerId) form.setAttribute('customer-id', customerId);
  else form.removeAttribute('customer-id');
  formDialog.showModal();
}

document.getElementById('add-customer')!.addEventListener('click', () => openForm(''));
shop.addEventListener('pos-customer-open', (event) => openForm(event.detail.customerId));
form.addEventListener('pos-customer-save', () => formDialog.close());
form.addEventListener('pos-cancel', () => formDialog.close());

const seedButton = document.getElementById('seed') as HTMLButtonElement;
const progress = document.getElementById('seed-progress')!;
seedButton.addEventListener('click', async () => {
  seedButton.disabled = true;
  const created = await seedCustomers(shop, 5000, (done) => (progress.textContent = `${done.toLocaleString()} added…`));
  progress.textContent = `${created.toLocaleString()} sample customers added.`;
  seedButton.disabled = false;
});

// `?seed=20000` fills the store on load, for trying the picker and the list at scale.
const seedCount = Number(new URLSearchParams(location.search).get('seed') ?? 0);
if (seedCount > 0) {
  void shop.handle?.whenReady.then(() => seedCustomers(shop, seedCount, (done) => (progress.textContent = `${done.toLocaleString()} added…`)));
}
