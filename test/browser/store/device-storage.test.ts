import { expect } from '@esm-bundle/chai';
import { deviceDatabaseName } from '../../../components/store/device-probe.js';
import { openLocalStore, type LocalStore, type LocalStoreOptions } from '../../../components/store/local-store.js';
import type { DeviceStorageStatus } from '../../../components/store/device-storage.js';
import { SNAPSHOT_FORMAT } from '../../../components/store/open-snapshot.js';
import { holdDocumentLoad } from '../helpers.js';

const opened: LocalStore[] = [];
function open(storeId: string, tillId = 'till-1', openTimeoutMs?: number, more: Partial<LocalStoreOptions> = {}): LocalStore {
  const local = openLocalStore(openTimeoutMs ? { storeId, tillId, openTimeoutMs, ...more } : { storeId, tillId, ...more });
  opened.push(local);
  return local;
}

async function close(local: LocalStore): Promise<void> {
  opened.splice(opened.indexOf(local), 1);
  await local.destroy();
}

/** Reads or writes the open snapshot saved in a till's device database, as another tab (or a bad disk) would. */
async function snapshotInDatabase(storeId: string, tillId: string, write?: unknown): Promise<unknown> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(deviceDatabaseName(storeId, tillId));
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(['custom'], write === undefined ? 'readonly' : 'readwrite');
      const request = write === undefined ? tx.objectStore('custom').get('pos-open-snapshot') : tx.objectStore('custom').put(write, 'pos-open-snapshot');
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const start = performance.now();
  while (!check()) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Waits (bounded by `until`) for a snapshot of till-1's store to be in its database. */
async function untilSnapshotSaved(storeId: string, what: string): Promise<void> {
  let snapshot: unknown;
  await until(() => {
    void snapshotInDatabase(storeId, 'till-1').then((value) => (snapshot = value));
    return snapshot !== undefined;
  }, what);
}

const saved = (s: DeviceStorageStatus) => s.mode === 'saved' && s.pendingWrites === 0;
const uniqueStore = () => `store-${Math.random().toString(36).slice(2)}`;

describe('device storage (IndexedDB)', () => {
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((l) => l.destroy()));
  });

  it('keeps customers, addresses and settings across a reopen of the page’s store', async () => {
    const storeId = uniqueStore();
    const first = open(storeId);
    await first.whenReady;
    expect(first.storage.status.mode).to.equal('saved');
    const created = first.store.create({ firstName: 'Linh', lastName: 'Pham', phone: '+84912345678' });
    if (!created.ok) throw new Error('create failed');
    first.store.addAddress(created.value.id, { street1: '12 Hang Bac', city: 'Hanoi', country: 'VN' });
    first.store.updateSettings({ defaultCountry: 'VN' });
    await until(() => saved(first.storage.status), 'writes to finish');
    await first.destroy();
    opened.splice(opened.indexOf(first), 1);

    const again = open(storeId);
    await again.whenReady;
    const customer = again.store.get(created.value.id);
    expect(customer?.firstName).to.equal('Linh');
    expect(customer?.addresses.map((a) => a.street1)).to.deep.equal(['12 Hang Bac']);
    expect(again.store.settings().defaultCountry).to.equal('VN');
    expect(again.store.search('0912 345').ids).to.deep.equal([created.value.id]);
  });

  it('says when its read of the document is under way, while a slow disk still holds the load back', async () => {
    const storeId = uniqueStore();
    const first = open(storeId);
    await first.whenReady;
    expect(first.store.create({ firstName: 'Ada', lastName: 'Lovelace' }).ok).to.equal(true);
    await until(() => saved(first.storage.status), 'the customer saved');
    await close(first);

    const release = await holdDocumentLoad(deviceDatabaseName(storeId, 'till-1'));
    const local = open(storeId);
    let ready = false;
    void local.whenReady.then(() => (ready = true));
    await local.storage.whenReading;
    expect(ready).to.equal(false, 'the document is still loading');
    expect(local.store.liveCount).to.equal(0);
    release();
    await local.whenReady;
    expect(local.store.liveCount).to.equal(1);
  });

  it('keeps each till’s data apart in one browser', async () => {
    const storeId = uniqueStore();
    const till1 = open(storeId, 'till-1');
    const till2 = open(storeId, 'till-2');
    await Promise.all([till1.whenReady, till2.whenReady]);
    till1.store.create({ firstName: 'Only on one' });
    await until(() => saved(till1.storage.status), 'writes');
    expect(till2.store.liveCount).to.equal(0);
  });

  it('lets two tabs of the same till write at once without losing either', async () => {
    const storeId = uniqueStore();
    const tabA = open(storeId);
    const tabB = open(storeId);
    await Promise.all([tabA.whenReady, tabB.whenReady]);
    tabA.store.create({ firstName: 'From tab A' });
    tabB.store.create({ firstName: 'From tab B' });
    await until(() => saved(tabA.storage.status) && saved(tabB.storage.status), 'writes');
    await Promise.all(opened.splice(0).map((l) => l.destroy()));
    const reopened = open(storeId);
    await reopened.whenReady;
    expect(reopened.store.search('tab').total).to.equal(2);
  });

  it('works in memory and says why when the database is broken', async () => {
    const storeId = uniqueStore();
    // A database of the same name without the object stores y-indexeddb needs: opening succeeds,
    // every read and write fails, as with a database another program left in a bad state.
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.open(`pos-customers/${storeId}/till-1`, 1);
      req.onsuccess = () => {
        req.result.close();
        resolve();
      };
      req.onerror = () => reject(req.error);
    });
    const errors: unknown[] = [];
    const onError = (e: PromiseRejectionEvent) => errors.push(e.reason);
    window.addEventListener('unhandledrejection', onError);
    const local = open(storeId, 'till-1', 1500);
    await local.whenReady;
    expect(local.storage.status.mode).to.equal('memory');
    expect(local.storage.status.mode === 'memory' && local.storage.status.reason).to.match(/storage/i);
    const created = local.store.create({ firstName: 'Still works' });
    expect(created.ok).to.equal(true);
    expect(local.store.search('still').total).to.equal(1);
    await new Promise((r) => setTimeout(r, 50));
    window.removeEventListener('unhandledrejection', onError);
    expect(errors).to.deep.equal([]);
  });

  it('works in memory when the browser has no IndexedDB at all', async () => {
    const original = Object.getOwnPropertyDescriptor(window, 'indexedDB');
    Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true });
    try {
      const local = open(uniqueStore());
      await local.whenReady;
      expect(local.storage.status).to.deep.equal({ mode: 'memory', reason: 'This browser offers no IndexedDB storage.' });
      expect(local.store.create({ firstName: 'Memory' }).ok).to.equal(true);
    } finally {
      if (original) Object.defineProperty(window, 'indexedDB', original);
      else delete (window as { indexedDB?: IDBFactory }).indexedDB;
    }
  });

  it('reopens from the snapshot it saved, and indexes again only the customers changed since', async () => {
    const storeId = uniqueStore();
    const first = open(storeId, 'till-1', undefined, { snapshots: { quietMs: 20, staleLimit: 0 } });
    await first.whenReady;
    const made = first.store.createMany(
      Array.from({ length: 40 }, (_, i) => ({ firstName: `Guest${i}`, lastName: i % 2 ? 'Tran' : 'Nguyen', phone: `+8491234${String(i).padStart(4, '0')}` })),
    );
    expect(made.created).to.have.length(40);
    await until(() => saved(first.storage.status), 'writes to finish');
    await untilSnapshotSaved(storeId, 'a snapshot saved beside the document');
    await close(first);

    // A later session: restored from the snapshot; a customer renamed and one added. Two changes are too few
    // to be worth a new snapshot (the page being hidden would save one), however quiet the store stays.
    const second = open(storeId, 'till-1', undefined, { snapshots: { quietMs: 20 } });
    await second.whenReady;
    expect(second.store.snapshotUse).to.deep.equal({ staleKeys: 0 });
    expect(second.store.search('nguyen').total).to.equal(20);
    expect(second.store.search('0912 340 007').ids).to.deep.equal([made.created[7]]);
    const renamed = made.created[3] as string;
    expect(second.store.update(renamed, { firstName: 'Xuan' }).ok).to.equal(true);
    expect(second.store.create({ firstName: 'Newcomer', email: 'new@shop.vn' }).ok).to.equal(true);
    await until(() => saved(second.storage.status), 'writes to finish');
    await new Promise((r) => setTimeout(r, 200));
    await close(second);

    const third = open(storeId, 'till-1', undefined, { snapshots: { quietMs: 60_000 } });
    await third.whenReady;
    expect(third.store.snapshotUse).to.deep.equal({ staleKeys: 2 });
    expect(third.store.search('xuan').ids).to.deep.equal([renamed]);
    expect(third.store.search('guest3').ids).to.not.include(renamed);
    expect(third.store.search('newcomer').total).to.equal(1);
    expect(third.store.create({ firstName: 'Copy', email: 'NEW@shop.vn' }).ok).to.equal(false);
    expect(third.store.liveCount).to.equal(41);
  });

  it('holds the snapshot back while a cashier is typing, and saves it once they stop', async () => {
    const storeId = uniqueStore();
    const local = open(storeId, 'till-1', undefined, { snapshots: { quietMs: 300, staleLimit: 0 } });
    await local.whenReady;
    expect(local.store.create({ firstName: 'Hoa', phone: '+84912000333' }).ok).to.equal(true);
    await until(() => saved(local.storage.status), 'writes to finish');
    // Keys pressed every 100 ms for 1.2 s, four times the quiet spell: a save now would hold up the search.
    const typingUntil = performance.now() + 1_200;
    while (performance.now() < typingUntil) {
      document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'n', bubbles: true, composed: true }));
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await snapshotInDatabase(storeId, 'till-1')).to.equal(undefined);
    await untilSnapshotSaved(storeId, 'a snapshot saved once the typing stopped');
    await close(local);
  });

  it('saves the snapshot when the page is hidden, however few customers changed', async () => {
    const storeId = uniqueStore();
    const first = open(storeId);
    await first.whenReady;
    first.store.create({ firstName: 'Hoa', phone: '+84912000222' });
    await until(() => saved(first.storage.status), 'writes to finish');
    expect(await snapshotInDatabase(storeId, 'till-1')).to.equal(undefined);
    // The cashier switches to another app: the page becomes hidden.
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    try {
      document.dispatchEvent(new Event('visibilitychange'));
      await untilSnapshotSaved(storeId, 'a snapshot saved on hide');
    } finally {
      delete (document as { visibilityState?: unknown }).visibilityState;
    }
    await close(first);
    const again = open(storeId);
    await again.whenReady;
    expect(again.store.snapshotUse).to.deep.equal({ staleKeys: 0 });
    expect(again.store.search('hoa').total).to.equal(1);
  });

  it('opens normally when the saved snapshot is damaged', async () => {
    const storeId = uniqueStore();
    const first = open(storeId);
    await first.whenReady;
    const made = first.store.create({ firstName: 'Mai', phone: '+84912000111' });
    if (!made.ok) throw new Error('create failed');
    await until(() => saved(first.storage.status), 'writes to finish');
    await close(first);
    await snapshotInDatabase(storeId, 'till-1', { format: SNAPSHOT_FORMAT, tillId: 'till-1', otherKeys: 'not a list' });

    const again = open(storeId);
    await again.whenReady;
    expect(again.storage.status.mode).to.equal('saved');
    expect(again.store.snapshotUse).to.equal(undefined);
    expect(again.store.search('mai').ids).to.deep.equal([made.value.id]);
  });
});
