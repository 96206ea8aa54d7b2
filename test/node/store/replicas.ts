import * as Y from 'yjs';
import { CustomerStore } from '../../../components/store/customer-store.js';

/**
 * Several tills, each a real Y.Doc with its own store, exchanging real Yjs updates. `offline` tills
 * queue what they write; `sync()` delivers everything both ways, as a reconnect does.
 */
export class Replicas {
  readonly docs: Y.Doc[] = [];
  readonly stores: CustomerStore[] = [];
  private readonly online: boolean[] = [];

  constructor(count: number, wallMicros?: () => number) {
    for (let i = 0; i < count; i++) {
      const doc = new Y.Doc();
      const store = new CustomerStore(doc, wallMicros ? { tillId: `till-${i + 1}`, wallMicros } : { tillId: `till-${i + 1}` });
      this.docs.push(doc);
      this.stores.push(store);
      this.online.push(true);
      doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin === 'sync' || !this.online[i]) return;
        this.docs.forEach((other, j) => {
          if (j !== i && this.online[j]) Y.applyUpdate(other, update, 'sync');
        });
      });
    }
  }

  store(i: number): CustomerStore {
    return this.stores[i] as CustomerStore;
  }

  setOnline(i: number, online: boolean): void {
    this.online[i] = online;
    if (online) this.sync();
  }

  /**
   * Full exchange among the online tills until nothing new flows (joins may write more). Time passes:
   * the joins a till waits for another till to write are written by it now if they have not come.
   */
  sync(): void {
    for (let round = 0; round < 5; round++) {
      let moved = false;
      this.docs.forEach((a, i) => {
        this.docs.forEach((b, j) => {
          if (i === j || !this.online[i] || !this.online[j]) return;
          const diff = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
          const before = Y.encodeStateVector(b);
          Y.applyUpdate(b, diff, 'sync');
          if (!equalBytes(before, Y.encodeStateVector(b))) moved = true;
        });
      });
      for (const store of this.stores) {
        const before = Y.getState(store.doc.store, store.doc.clientID);
        store.writeAwaitedJoins();
        if (Y.getState(store.doc.store, store.doc.clientID) !== before) moved = true;
      }
      if (!moved) return;
    }
  }

  /** Every till's customers map as plain JSON. */
  snapshots(): unknown[] {
    return this.docs.map((d) => d.getMap('customers').toJSON());
  }

  destroy(): void {
    this.stores.forEach((s) => s.destroy());
    this.docs.forEach((d) => d.destroy());
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
