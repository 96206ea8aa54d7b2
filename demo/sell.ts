import '../components/index.js';
import type { PosCustomers } from '../components/elements/pos-customers/pos-customers.js';
import { connect, tillFromUrl } from './demo-config.js';

const till = tillFromUrl();
const shop = document.getElementById('shop') as PosCustomers;
connect(shop, till);
document.getElementById('till-label')!.textContent = `· ${till}`;

const picker = document.getElementById('picker')!;
const form = document.getElementById('form')!;
const formDialog = document.getElementById('form-dialog') as HTMLDialogElement;
const addressDialog = document.getElementById('address-dialog') as HTMLDialogElement;
const addresses = document.getElementById('addresses')!;
const editButton = document.getElementById('edit-customer') as HTMLButtonElement;
const addressButton = document.getElementById('edit-addresses') as HTMLButtonElement;
let customerId = '';

// The host only listens to our events; it never needs to know about Yjs.
picker.addEventListener('pos-customer-select', (event) => {
  const customer = event.detail.customer;
  customerId = customer?.id ?? '';
  editButton.disabled = addressButton.disabled = !customer;
  document.getElementById('selected')!.textContent = customer ? `Selling to ${customer.firstName} ${customer.lastName}`.trim() : 'No customer selected';
});

editButton.addEventListener('click', () => {
  form.setAttribute('customer-id', customerId);
  formDialog.showModal();
});
form.addEventListener('pos-customer-save', () => formDialog.close());
form.addEventListener('pos-cancel', () => formDialog.close());

addressButton.addEventListener('click', () => {
  addresses.setAttribute('customer-id', customerId);
  addressDialog.showModal();
});
document.getElementById('close-addresses')!.addEventListener('click', () => addressDialog.close());
