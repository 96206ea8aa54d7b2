import type { PosCustomers } from '../components/elements/pos-customers/pos-customers.js';
import { generateCustomers } from '../test/fixtures/customer-generator.js';

/**
 * Fills the store with realistic customers (names with accents, phones, emails, an address each, a few
 * groups) so the picker and the list can be tried at scale. Imports in chunks so the page stays live.
 */
export async function seedCustomers(root: PosCustomers, count: number, onProgress: (done: number) => void): Promise<number> {
  const store = root.handle?.store;
  if (!store) return 0;
  for (const name of ['VIP', 'Wholesale', 'Staff'])
    if (!store.groups().some((g) => g.name === name)) store.createGroup({ name, discountPercent: name === 'Staff' ? 20 : 5 });
  const groups = store.groups();
  const seed = Date.now() % 100_000;
  const customers = generateCustomers(count, seed).map((c, i) => ({ ...c, groupId: i % 7 === 0 ? (groups[i % groups.length]?.id ?? null) : null }));
  let created = 0;
  for (let i = 0; i < customers.length; i += 2000) {
    created += store.createMany(customers.slice(i, i + 2000)).created.length;
    onProgress(created);
    await new Promise((r) => setTimeout(r, 0));
  }
  store.ensureDefaultCustomer();
  return created;
}
