import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { CustomerStore } from '../../../components/store/customer-store.js';
import { matchSpans } from '../../../components/store/search-text.js';
import { buildStoreDocument } from '../../fixtures/customer-generator.js';
import { loadPhone } from '../../../components/model/lazy-phone.js';

// Written at once after opening: a store's open waits for the phone module, which these writes need.
await loadPhone();

function storeWith(people: Array<Parameters<CustomerStore['create']>[0]>) {
  const store = new CustomerStore(new Y.Doc(), { tillId: 'till-1' });
  store.updateSettings({ defaultCountry: 'VN' });
  const ids = people.map((p) => {
    const r = store.create(p);
    assert.ok(r.ok, JSON.stringify(p));
    return r.value.id;
  });
  const names = (query: string, limit = 50) => store.search(query, limit).ids.map((id) => `${store.get(id)?.firstName} ${store.get(id)?.lastName}`.trim());
  return { store, ids, names };
}

describe('search', () => {
  const { store, ids, names } = storeWith([
    { firstName: 'Nguyễn', lastName: 'Văn An', phone: '0912 345 678', email: 'an.nguyen@shop.vn' },
    { firstName: 'Nguyệt', lastName: 'Trần', phone: '+84 903 111 222' },
    { firstName: 'Anh', lastName: 'Lê', email: 'anh.le@mail.com', cardBarcode: '2900001234567' },
    { firstName: 'Annabelle', lastName: 'Smith', phone: '+1 415 555 2671' },
    { firstName: 'José', lastName: 'Muñoz' },
    { firstName: 'John', lastName: 'Nguyen' },
  ]);

  it('ignores accents and case both ways', () => {
    // "Nguyệt" is one letter away, so typo tolerance lists it after the exact matches.
    assert.deepEqual(names('nguyen'), ['John Nguyen', 'Nguyễn Văn An', 'Nguyệt Trần']);
    assert.deepEqual(names('NGUYỄN'), ['John Nguyen', 'Nguyễn Văn An', 'Nguyệt Trần']);
    assert.deepEqual(names('munoz'), ['José Muñoz']);
    assert.deepEqual(names('Jose'), ['José Muñoz']);
  });

  it('matches by prefix as the cashier types, exact words first', () => {
    assert.deepEqual(names('ngu'), ['John Nguyen', 'Nguyễn Văn An', 'Nguyệt Trần']);
    assert.deepEqual(names('an'), ['Nguyễn Văn An', 'Anh Lê', 'Annabelle Smith']);
  });

  it('needs every word to match, in any order', () => {
    assert.deepEqual(names('an nguyen'), ['Nguyễn Văn An']);
    assert.deepEqual(names('tran nguyet'), ['Nguyệt Trần']);
    assert.deepEqual(names('nguyen smith'), []);
  });

  it('tolerates a typo in a name', () => {
    assert.deepEqual(names('nguyne').slice(0, 2), ['John Nguyen', 'Nguyễn Văn An']);
    assert.deepEqual(names('annabele'), ['Annabelle Smith']);
    assert.deepEqual(names('jhon'), ['John Nguyen']);
  });

  it('finds typos of names that arrive, and forgets those of names that go, between two searches', () => {
    const { store: s, names: n } = storeWith([{ firstName: 'John', lastName: 'Ruiz' }]);
    assert.deepEqual(n('jhon'), ['John Ruiz']);
    const created = s.create({ firstName: 'Jhin', lastName: 'Diaz' });
    assert.ok(created.ok);
    assert.deepEqual(n('jhon'), ['Jhin Diaz', 'John Ruiz']);
    assert.ok(s.update(created.value.id, { firstName: 'Ana' }).ok);
    assert.deepEqual(n('jhon'), ['John Ruiz']);
  });

  it('ranks a clean match above a typo match', () => {
    const { names: n } = storeWith([{ firstName: 'Lina' }, { firstName: 'Linh' }]);
    assert.deepEqual(n('linh'), ['Linh', 'Lina']);
  });

  it('ranks a typo of a whole word above a typo of a longer word’s start', () => {
    const { names: n } = storeWith([
      { firstName: 'Aaron', lastName: 'Johnson' },
      { firstName: 'John', lastName: 'Smith' },
    ]);
    assert.deepEqual(n('jhon'), ['John Smith', 'Aaron Johnson']);
  });

  it('finds a phone number in whatever format it is typed', () => {
    for (const typed of ['0912 345 678', '0912345678', '+84 912 345 678', '84912345678', '912-345-678', '0912 3']) {
      assert.deepEqual(names(typed), ['Nguyễn Văn An'], typed);
    }
    assert.deepEqual(names('(415) 555'), ['Annabelle Smith']);
    assert.deepEqual(names('+1 415'), ['Annabelle Smith']);
  });

  it('finds by email and by card barcode', () => {
    assert.deepEqual(names('anh.le@'), ['Anh Lê']);
    assert.deepEqual(names('an.nguyen@shop.vn'), ['Nguyễn Văn An']);
    assert.deepEqual(names('2900001234567'), ['Anh Lê']);
    assert.equal(store.findByBarcode('2900001234567')?.id, ids[2]);
  });

  it('says how many match and returns at most the limit', () => {
    const result = store.search('n', 2);
    assert.equal(result.ids.length, 2);
    assert.equal(result.total, 3);
  });

  it('keeps the best matches when far more match than it returns, ordered alike before and after the name order is kept', async () => {
    // Thousands of matches with many tied scores: the best few must be the head of the full ranking.
    const big = new CustomerStore(buildStoreDocument(3_000, 4), { tillId: 'till-1' });
    const queries = ['n', 'nguyen', 'tr', 'j', 'an'];
    const rankings = () =>
      queries.map((query) => {
        const all = big.search(query, 3_000);
        assert.ok(all.total > 200, `${query} matches ${all.total}`);
        for (const limit of [1, 7, 50, 200]) {
          const some = big.search(query, limit);
          assert.equal(some.total, all.total);
          assert.deepEqual(some.ids, all.ids.slice(0, limit), `${query} limit ${limit}`);
        }
        return all.ids;
      });
    const idle = async () => {
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0));
    };
    // Names compared as text at first; by rank once the order has been built when idle.
    const first = rankings();
    await idle();
    assert.deepEqual(rankings(), first);
    // Renames, a new customer and a deletion: compared as text until the order is merged again, then by rank.
    const [a, b, c] = big.search('nguyen', 3).ids;
    assert.ok(a && b && c);
    assert.ok(big.update(a, { firstName: 'Nguyen', lastName: 'Aaa' }).ok);
    assert.ok(big.update(c, { lastName: 'Zzz' }).ok);
    assert.ok(big.create({ firstName: 'Nguyen', lastName: 'Ab' }).ok);
    assert.ok(big.delete(b).ok);
    const edited = rankings();
    // A list merges the edits into the name order: the next searches take ranks from it before any idle period.
    big.listIds();
    assert.deepEqual(rankings(), edited);
    await idle();
    assert.deepEqual(rankings(), edited);
    assert.notDeepEqual(edited, first);
  });

  it("answers the same while another till's customers are still unsorted in the index, and sorts them when idle", async () => {
    const store = new CustomerStore(new Y.Doc(), { tillId: 'till-1' });
    Y.applyUpdate(store.doc, Y.encodeStateAsUpdate(buildStoreDocument(3_000, 5)), 'remote');
    await store.whenIndexed();
    const queries = ['n', 'nguyen v', 'tr', 'jose', '091', '+1', '1 41', 'a.', 'smith'];
    const before = queries.map((q) => store.search(q, 40));
    // Nobody asks for a sort: the index sorts the buckets when the page (here, Node's event loop) is idle.
    for (let i = 0; i < 200; i++) await new Promise((resolve) => setTimeout(resolve, 0));
    assert.deepEqual(
      queries.map((q) => store.search(q, 40)),
      before,
    );
    assert.ok(before.every((r) => r.ids.length > 0));
  });

  it('follows edits, deletes and restores', () => {
    const {
      store: s,
      ids: [id],
      names: n,
    } = storeWith([{ firstName: 'Before' }]);
    assert.ok(id);
    s.update(id, { firstName: 'After' });
    assert.deepEqual(n('before'), []);
    assert.deepEqual(n('after'), ['After']);
    s.delete(id);
    assert.deepEqual(n('after'), []);
    s.restore(id);
    assert.deepEqual(n('after'), ['After']);
  });

  it('marks the parts of a name that match for highlighting, accents included', () => {
    assert.deepEqual(matchSpans('Nguyễn Văn An', 'nguy an'), [
      [0, 4],
      [11, 13],
    ]);
    assert.deepEqual(matchSpans('José Muñoz', 'mun'), [[5, 8]]);
    assert.deepEqual(matchSpans('Anna', ''), []);
    // A letter that folds to two ("ß" → "ss") still ends the mark right; an accent typed apart is not part of a word.
    assert.deepEqual(matchSpans('Strauß Weiss', 'strauss'), [[0, 6]]);
    assert.deepEqual(matchSpans('Strauß', 'straus'), [[0, 6]]);
    assert.deepEqual(matchSpans('Jose\u0301 Mun\u0303oz', 'josé mu'), [
      [0, 4],
      [6, 8],
    ]);
  });
});
