import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SearchIndex, type SearchableCustomer } from '../../../components/store/search-index.js';
import { UniqueIndex } from '../../../components/store/unique-index.js';
import { mulberry32 } from '../../fixtures/customer-generator.js';

const customer = (id: string, firstName: string, lastName = ''): SearchableCustomer => ({ id, firstName, lastName, email: '', phone: '', cardBarcode: '' });

/** `changes` random removals and puts (new or replaced customers) on the index, mirrored in `live`. */
function churn(
  index: SearchIndex,
  live: Map<string, SearchableCustomer>,
  changes: number,
  pickId: () => string,
  removes: () => boolean,
  random: (id: string) => SearchableCustomer,
): void {
  for (let i = 0; i < changes; i++) {
    const id = pickId();
    if (removes()) {
      index.remove(id);
      live.delete(id);
    } else {
      const c = random(id);
      index.put(c);
      live.set(id, c);
    }
  }
}

describe('search index name order', () => {
  it('stays what a full sort gives through adds, renames and removals, few or many between reads', () => {
    const rand = mulberry32(11);
    const names = ['An', 'anh', 'Ánh', 'Bình', 'binh', 'Chi', 'Zoë', '', 'Lê Văn', 'le'];
    const pick = () => names[Math.floor(rand() * names.length)] as string;
    const index = new SearchIndex();
    const live = new Map<string, SearchableCustomer>();
    const fullSort = () => {
      const fresh = new SearchIndex();
      for (const c of live.values()) fresh.put(c);
      return fresh.allByName();
    };
    for (const changesBetweenReads of [1, 3, 40, 600, 2]) {
      for (let round = 0; round < 20; round++) {
        for (let i = 0; i < changesBetweenReads; i++) {
          const id = `c${Math.floor(rand() * 300)}`;
          const r = rand();
          if (r < 0.25) {
            index.remove(id);
            live.delete(id);
          } else {
            // Re-putting an unchanged name must keep the customer in place too.
            const c = r < 0.4 && live.has(id) ? (live.get(id) as SearchableCustomer) : customer(id, pick(), pick());
            index.put(c);
            live.set(id, c);
          }
        }
        const order = index.allByName();
        assert.deepEqual(order, fullSort(), `after ${changesBetweenReads} changes`);
        order.pop();
        assert.equal(index.allByName().length, live.size, 'callers get a copy');
      }
    }
  });
});

describe('uniqueness index', () => {
  it('reports a value two customers share until one lets go of it', () => {
    const unique = new UniqueIndex();
    unique.put('a', { email: 'An@Shop.com', phone: '+84912345678', cardBarcode: '' });
    unique.put('a', { email: 'an@shop.com', phone: '+84912345678', cardBarcode: '' });
    assert.deepEqual([...unique.conflicts()], [], 'a customer does not clash with itself');
    unique.put('b', { email: 'AN@shop.com ', phone: '', cardBarcode: 'x1' });
    unique.put('c', { email: 'an@shop.com', phone: '', cardBarcode: 'X1' });
    assert.deepEqual(
      [...unique.conflicts()].map(([field, value, ids]) => [field, value, ids.sort()]),
      [
        ['email', 'an@shop.com', ['a', 'b', 'c']],
        ['cardBarcode', 'X1', ['b', 'c']],
      ],
    );
    assert.equal(unique.holder('cardBarcode', 'x1', 'b'), 'c');
    assert.deepEqual(unique.holdersOf('email', ' AN@shop.com').sort(), ['a', 'b', 'c']);
    assert.deepEqual(unique.holdersOf('phone', '+84912345678'), ['a']);
    assert.deepEqual(unique.holdersOf('phone', '+84000000000'), []);
    unique.remove('b');
    unique.put('c', { email: 'c@shop.com', phone: '', cardBarcode: 'X1' });
    assert.deepEqual([...unique.conflicts()], []);
    assert.equal(unique.holder('email', 'an@shop.com'), 'a');
    assert.equal(unique.holder('email', 'an@shop.com', 'a'), undefined);
    assert.equal(unique.holder('cardBarcode', 'x1'), 'c');
    unique.remove('a');
    assert.equal(unique.holder('phone', '+84912345678'), undefined);
  });

  it('indexed a slice at a time, with puts and removals between slices, holds what indexing at once holds', () => {
    const sliced = new UniqueIndex();
    const atOnce = new UniqueIndex();
    const both = (f: (u: UniqueIndex) => void) => [sliced, atOnce].forEach(f);
    for (let i = 0; i < 50; i++) both((u) => u.put(`c${i}`, { email: `p${i % 40}@shop.com`, phone: '', cardBarcode: `K${i}` }));
    assert.equal(sliced.indexSome(20), true, 'more left after a slice of 20');
    both((u) => u.put('c3', { email: 'moved@shop.com', phone: '', cardBarcode: 'K3' }));
    both((u) => u.remove('c45'));
    assert.equal(sliced.indexSome(20), true);
    both((u) => u.put('c49', { email: 'p1@shop.com', phone: '', cardBarcode: 'K49' }));
    assert.equal(sliced.indexSome(100), false, 'nothing left');
    const all = (u: UniqueIndex) => [...u.conflicts()].map(([field, value, ids]) => `${field} ${value} ${ids.sort().join(',')}`).sort();
    assert.deepEqual(all(sliced), all(atOnce));
    assert.equal(all(sliced).length, 7, 'p0–p9 shared in pairs, less p3 (c3 moved), p5 (c45 removed) and p9 (c49 moved to p1, now held by three)');
    assert.equal(sliced.holder('cardBarcode', 'k45'), undefined);
    assert.equal(sliced.holder('email', 'moved@shop.com'), 'c3');
  });
});

describe('search index buckets', () => {
  it('answers like an index built afresh after thousands of puts, edits and removals between searches', () => {
    const rand = mulberry32(5);
    const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)] as T;
    const first = ['An', 'Anh', 'Bình', 'Chi', 'Annabelle', 'John', 'Johnson'];
    const last = ['Nguyễn', 'Trần', 'Lê', 'Smith', 'Ng'];
    // Few distinct values, so buckets hold thousands of entries and re-sort, and removals hit sorted runs.
    const random = (id: string): SearchableCustomer => ({
      id,
      firstName: pick(first),
      lastName: pick(last),
      email: rand() < 0.7 ? `${pick(first).toLowerCase()}${Math.floor(rand() * 50)}@shop.com` : '',
      phone: rand() < 0.8 ? `+8491${String(Math.floor(rand() * 1e7)).padStart(7, '0')}` : '',
      cardBarcode: rand() < 0.4 ? `29${Math.floor(rand() * 1e3)}` : '',
    });
    const queries = ['an', 'anh', 'annabele', 'jhon', 'ng', 'nguyen an', '0912', '+84 91', '290', 'an1', 'anh3@shop', 'john@'];
    const index = new SearchIndex();
    const live = new Map<string, SearchableCustomer>();
    for (let round = 0; round < 8; round++) {
      const changes = round === 0 ? 4000 : Math.floor(rand() * 1500);
      churn(
        index,
        live,
        changes,
        () => `c${Math.floor(rand() * 3000)}`,
        () => rand() < 0.2,
        random,
      );
      const fresh = new SearchIndex();
      for (const c of live.values()) fresh.put(c);
      for (const q of queries) assert.deepEqual(index.search(q, 1e6), fresh.search(q, 1e6), `round ${round}: ${q}`);
      assert.equal(index.size, live.size);
    }
  });
});

describe('search index replacing a customer', () => {
  const queries = ['an', 'anna', 'anh', 'ann', 'annx', 'jhon', 'john', 'bell', 'an an', 'ng', '0912', '+84 91', '290', 'an1', 'anna@shop', 'a'];
  const sameAsFresh = (index: SearchIndex, live: Map<string, SearchableCustomer>, when: string) => {
    const fresh = new SearchIndex();
    for (const c of live.values()) fresh.put(c);
    for (const q of queries) assert.deepEqual(index.search(q, 1e6), fresh.search(q, 1e6), `${when}: ${q}`);
    assert.deepEqual(index.matchingIds('an'), fresh.matchingIds('an'), `${when}: in name order`);
    assert.deepEqual(index.allByName(), fresh.allByName(), `${when}: name order`);
  };

  it('answers like a fresh index through edits of one field at a time, words repeated across fields, no search between', () => {
    const rand = mulberry32(41);
    const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)] as T;
    const names = ['Anna', 'Anna Anna', 'An', 'Anh', 'John', 'Johnson', 'Bell', ''];
    const edits: Array<(c: SearchableCustomer) => void> = [
      (c) => (c.firstName = pick(names)),
      (c) => (c.lastName = pick(names)),
      (c) => (c.email = rand() < 0.8 ? `${pick(['anna', 'an', 'john', 'anna.anna'])}${Math.floor(rand() * 3)}@shop.com` : ''),
      (c) => (c.phone = rand() < 0.8 ? `+8491${String(Math.floor(rand() * 1e3)).padStart(7, '0')}` : ''),
      (c) => (c.cardBarcode = rand() < 0.5 ? `29${Math.floor(rand() * 100)}` : ''),
    ];
    const index = new SearchIndex();
    const live = new Map<string, SearchableCustomer>();
    for (let round = 0; round < 6; round++) {
      // Hundreds of replacements into a few buckets between two searches: their added entries pass the
      // ordered run and the buckets are sorted again between removals.
      for (let i = 0; i < (round === 0 ? 3000 : 1200); i++) {
        const id = `c${Math.floor(rand() * 800)}`;
        const held = live.get(id);
        if (held && rand() < 0.05) {
          index.remove(id);
          live.delete(id);
          continue;
        }
        const next: SearchableCustomer = held ? { ...held } : customer(id, pick(names), pick(names));
        if (held) pick(edits)(next);
        index.put(next);
        live.set(id, next);
      }
      sameAsFresh(index, live, `round ${round}`);
    }
  });

  it('finds a customer again by the words it holds after a repeated word is renamed away, and no longer by the old ones', () => {
    const index = new SearchIndex();
    const live = new Map<string, SearchableCustomer>();
    const put = (c: SearchableCustomer) => {
      index.put(c);
      live.set(c.id, c);
    };
    // More than a bucket's ordered run of added entries, so some entries were appended past it.
    for (let i = 0; i < 700; i++) put(customer(`a${i}`, 'Anh', `An ${i}`));
    put({ ...customer('x', 'Anna', 'Anna'), email: 'anna@shop.com' });
    sameAsFresh(index, live, 'added');
    put({ ...customer('x', 'Anna', 'Bell'), email: 'anna@shop.com' });
    sameAsFresh(index, live, 'one of two name words renamed');
    assert.deepEqual(index.search('anna').ids, ['x']);
    put(customer('x', 'Bell', 'Bell'));
    sameAsFresh(index, live, 'both renamed, email cleared');
    assert.deepEqual(index.search('anna').ids, []);
    assert.deepEqual(index.search('annx').ids, [], 'no longer a name word a typo can reach');
    for (const id of ['a699', 'a0', 'x']) {
      index.remove(id);
      live.delete(id);
    }
    sameAsFresh(index, live, 'removed');
  });
});

describe('search index matches in name order', () => {
  it('lists exactly what search finds, alphabetically, for queries matching few or most customers, through changes', () => {
    const rand = mulberry32(23);
    const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)] as T;
    const first = ['An', 'Anh', 'Bình', 'Chi', 'Annabelle', 'John', 'Johnson', 'Ngọc'];
    const last = ['Nguyễn', 'Trần', 'Lê', 'Smith', 'Ng'];
    const random = (id: string): SearchableCustomer => ({
      id,
      firstName: pick(first),
      lastName: pick(last),
      email: rand() < 0.5 ? `${pick(first).toLowerCase()}${Math.floor(rand() * 50)}@shop.com` : '',
      phone: rand() < 0.5 ? `+8491${String(Math.floor(rand() * 1e7)).padStart(7, '0')}` : '',
      cardBarcode: '',
    });
    // "n" and "ng" match most customers (the order is walked), "annabele" a typo of a few (their ranks are sorted).
    const queries = ['n', 'ng', 'an', 'annabele', 'jhon', 'nguyen an', '0912', 'zzz', '  '];
    const index = new SearchIndex();
    const live = new Map<string, SearchableCustomer>();
    let walked = 0;
    let sorted = 0;
    for (let round = 0; round < 10; round++) {
      const changes = round === 0 ? 3000 : Math.floor(rand() * 1200);
      churn(
        index,
        live,
        changes,
        () => `c${Math.floor(rand() * 2500)}`,
        () => rand() < 0.2,
        random,
      );
      const order = index.allByName();
      for (const q of queries) {
        const found = new Set(index.search(q, 1e6).ids);
        const expected = order.filter((id) => found.has(id));
        assert.deepEqual(index.matchingIds(q), expected, `round ${round}: ${q}`);
        if (expected.length >= live.size / 8) walked++;
        else if (expected.length > 1) sorted++;
      }
    }
    assert.ok(walked > 5 && sorted > 5, `both ways exercised (${walked} walked, ${sorted} sorted)`);
  });

  it('keeps the name order when a third of the customers change between reads', () => {
    const index = new SearchIndex();
    for (let i = 0; i < 900; i++) index.put(customer(`c${i}`, `N${String(i).padStart(3, '0')}`));
    assert.equal(index.matchingIds('n').length, 900);
    // Renamed to sort in reverse, plus new and removed customers, all merged into the kept order.
    for (let i = 0; i < 300; i++) index.put(customer(`c${i}`, `N${String(999 - i).padStart(3, '0')}`));
    for (let i = 900; i < 1000; i++) index.put(customer(`c${i}`, `N${String(i - 450).padStart(3, '0')}x`));
    for (let i = 300; i < 350; i++) index.remove(`c${i}`);
    const names = index.matchingIds('n').map((id) => Number(id.slice(1)));
    const key = (i: number) =>
      i < 300 ? `n${String(999 - i).padStart(3, '0')}` : i >= 900 ? `n${String(i - 450).padStart(3, '0')}x` : `n${String(i).padStart(3, '0')}`;
    const expected = [...Array(1000).keys()]
      .filter((i) => i < 300 || i >= 350)
      .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : `c${a}` < `c${b}` ? -1 : 1));
    assert.deepEqual(names, expected);
  });
});
