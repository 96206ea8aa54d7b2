import { nationalDigits } from '../model/national-number.js';
import { withinDistance } from './edit-distance.js';
import { hasIdlePeriods, whenIdle } from './idle.js';
import { fold, isPhoneQuery, phoneQueryDigits, words } from './search-text.js';

/** What the index needs of a customer. */
export interface SearchableCustomer {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  cardBarcode: string;
}

/** An index restored from a snapshot, with its customers by slot (what `restore` returns), to hand to another owner. */
export interface RestoredIndex {
  from: SearchIndexSnapshot;
  index: SearchIndex;
  customers: ReadonlyArray<SearchableCustomer | undefined>;
}

export interface SearchResult {
  /** Best first, at most `limit`. */
  ids: string[];
  /** How many customers match in all. */
  total: number;
}

// Namespaces keep a phone's digits, a full email and a barcode from matching name words.
const WORD = 0;
const PHONE = 1;
const EMAIL = 2;
const BARCODE = 3;
type Namespace = typeof WORD | typeof PHONE | typeof EMAIL | typeof BARCODE;

const EXACT = 4;
const PREFIX = 2;
/** A typo of a whole word ("jhon" → "john") is likelier meant than a typo of a longer word's start ("johnson"). */
const WORD_TYPO = 1.5;
const PREFIX_TYPO = 1;
/** Below this many characters a typo match finds too many unrelated names to help. */
const MIN_TYPO_TERM = 4;
/**
 * Below this many characters a word is not also tried as a card barcode prefix: no one types a code's
 * first digits to find a card, and the first digit of a scan would walk every code starting with it.
 */
const MIN_BARCODE_PREFIX = 3;
/** More unsorted or removed entries than this in a bucket: sort it again instead of scanning each. */
const RESORT_THRESHOLD = 512;
/** Idle time left (ms) under which no further bucket is sorted in the same idle period. */
const IDLE_SORT_MIN_MS = 10;
/** Query terms whose typo neighbours are kept (see wordsNear): a cashier's last few searches. */
const TYPO_TERMS_KEPT = 32;
/**
 * Matches in name order are picked by walking the whole name order when they are at least this share
 * of all customers, and sorted by their name rank when fewer.
 */
const WALK_ORDER_SHARE = 1 / 8;
/** Distinct names kept folded; past this the cache starts over rather than grow with every odd name. */
const NAME_CACHE_SIZE = 20_000;
/**
 * What warms the search code up (see warmUpWhenIdle): name prefixes of one to three letters (no typo
 * lookup, whose cache they would fill), phone digits and an email, with a picker's limit.
 */
const WARM_UP_QUERIES = ['a', 'n', 'e', 'an', 'ma', 'ng', 'tra', '0', '09', 'a@'];
const WARM_UP_LIMIT = 200;
/** The idle time a warm-up search waits for: a one-letter search at 100k takes a few ms once warm. */
const WARM_UP_MIN_IDLE_MS = 10;
const WARM_UP_TRIES = 40;
/**
 * A search matching at least one customer in this many takes stale name ranks from the name order (a pass
 * over every customer) rather than compare the names of its matches.
 */
const RANKS_NOW_ONE_IN = 16;

interface FoldedName {
  folded: string;
  words: string[];
}

/**
 * The index entries — (token, customer slot) pairs — of one namespace whose tokens start with one
 * character: a run sorted by token then slot, binary-searched, and the entries added since, scanned.
 * The first RESORT_THRESHOLD added entries are kept in the same order (inserted, not appended), and a
 * removal sorts a bucket holding more first (see settle), so it binary-searches both runs. A removed entry
 * keeps its place until the next sort, its slot stored as `-1 - slot` (see `removed`).
 */
interface Bucket {
  tokens: string[];
  slots: number[];
  addedTokens: string[];
  addedSlots: number[];
  removed: number;
}

/**
 * A search index as plain arrays, saved on the device beside the document so a store reopens without
 * folding and tokenising every customer again (see open-snapshot.ts). Slots are kept as they were, so the
 * snapshot's other per-slot arrays line up with `ids`. A change to how customers are tokenised must bump
 * SNAPSHOT_FORMAT there: an old snapshot would otherwise answer with the old tokens.
 */
export interface SearchIndexSnapshot {
  /** Per slot; '' for a free slot. */
  ids: string[];
  /**
   * First names, last names and the folded names lists sort by, each distinct one once (100k customers
   * have a few thousand): per slot, the position of each in `names`.
   */
  names: string[];
  firstName: Uint32Array;
  lastName: Uint32Array;
  sortKey: Uint32Array;
  emails: string[];
  phones: string[];
  barcodes: string[];
  /** Each bucket sorted: its distinct tokens in order, and per entry the position of its token and its slot. */
  buckets: Array<{ key: number; tokens: string[]; tokenOf: Uint32Array; slots: Int32Array }>;
  nameWords: string[];
  nameWordUses: Uint32Array;
  /** Slots by name, when a list had asked for them: saves the first list a sort of every name. */
  byName: Int32Array | null;
}

/** One index entry of a customer, before it has a slot. */
interface Token {
  namespace: Namespace;
  token: string;
  isName: boolean;
}

/** One way a query term may match: a prefix of the tokens of a namespace. */
interface Alternative {
  namespace: Namespace;
  prefix: string;
}

/**
 * An in-memory inverted index over name, email, phone and card barcode: prefix matching over sorted
 * tokens, typo tolerance over name words, ranking by match quality then name. A customer is addressed
 * by a small integer slot so per-query scoring runs over typed arrays, not maps.
 *
 * Entries go into buckets unsorted, and a bucket is sorted when the page is next idle, or at once by a
 * removal: opening a store of 100k customers (~900k entries) hashes and sorts nothing while it opens, and
 * a search meanwhile scans the unsorted entries. There is no token → customers map: most phone, email and barcode tokens belong to one
 * customer, and hashing ~400k fresh strings cost more than the rest of the index build.
 * (MiniSearch was measured against it in bench/search.ts; see bench/RESULTS.md.)
 */
export class SearchIndex {
  private readonly customers: Array<SearchableCustomer | undefined> = [];
  private readonly slotOf = new Map<string, number>();
  private readonly freeSlots: number[] = [];
  private readonly sortKeys: string[] = [];
  private readonly buckets = new Map<number, Bucket>();
  /** Name words with how many customers use each: the candidates of a typo-tolerant match. */
  private readonly nameWords = new Map<string, number>();
  /** Recent query terms → the name words a typo away (see wordsNear); emptied when a word comes or goes. */
  private readonly typoWords = new Map<string, Array<[string, number]>>();
  private readonly foldedNames = new Map<string, FoldedName>();
  /** Buckets with more unsorted entries than a search should scan, to be sorted when the page is idle. */
  private readonly toSettle = new Set<Bucket>();
  /**
   * Slots by name as last sorted: lists ask after every change, and re-sorting 100k names takes ~0.3 s,
   * so changes are merged in instead (see nameOrder).
   */
  private byName: number[] | undefined;
  /** Slots whose customer was added, removed or renamed since `byName` was sorted. */
  private readonly moved = new Set<number>();
  /** Each slot's position in `byName`, rebuilt when a read finds it stale: sorts matches by name with integer compares. */
  private nameRank = new Int32Array(0);
  private nameRankStale = true;
  /** Bumped by every change to the index: idle work waits for an idle period with no change (see orderStep, settleWaiting). */
  private version = 0;
  /** A first name order built over several idle periods (at 100k it takes ~90 ms in all), dropped if the index changes meanwhile. */
  private orderBuild: { version: number; byKey?: Map<string, number[]>; keys?: string[] } | undefined;
  private orderScheduled = false;
  /** Whether the searches that warm the search code up have been scheduled (once per index). */
  private warmUpScheduled = false;
  /** The version when waiting buckets were last looked at (see settleWaiting). */
  private settleVersion = 0;
  private termScore = new Float32Array(0);
  private totalScore = new Float32Array(0);
  private termsMatched = new Uint8Array(0);

  get size(): number {
    return this.slotOf.size;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  /** The customer as indexed. */
  get(id: string): SearchableCustomer | undefined {
    const slot = this.slotOf.get(id);
    return slot === undefined ? undefined : this.customers[slot];
  }

  /** Adds or replaces a customer. */
  put(customer: SearchableCustomer): void {
    this.version++;
    const sortKey = `${this.nameOf(customer.firstName).folded} ${this.nameOf(customer.lastName).folded}`.trim();
    const previous = this.slotOf.get(customer.id);
    const indexed = previous === undefined ? undefined : this.customers[previous];
    if (previous !== undefined && indexed) {
      // Replaced in its slot: only the tokens that changed move (another till's edit of a note moves none).
      if (this.sortKeys[previous] !== sortKey) this.markMoved(previous);
      this.retoken(previous, indexed, customer);
      this.customers[previous] = customer;
      this.sortKeys[previous] = sortKey;
      return;
    }
    const slot = this.freeSlots.pop() ?? this.customers.length;
    this.customers[slot] = customer;
    this.sortKeys[slot] = sortKey;
    this.slotOf.set(customer.id, slot);
    this.markMoved(slot);
    this.eachToken(customer, (namespace, token, isName) => {
      if (isName) this.countNameWord(token, 1);
      this.addEntry(this.bucketFor(namespace, token), token, slot);
    });
  }

  remove(id: string): void {
    const slot = this.slotOf.get(id);
    if (slot !== undefined) this.markMoved(slot);
    this.removeSlot(id);
  }

  /**
   * Sorts one bucket that has unsorted entries, if any does; false once none does. Run one per idle period
   * before taking a snapshot, so the snapshot holds sorted buckets and a reopened store never sorts them.
   */
  settleOne(): boolean {
    for (const bucket of this.buckets.values()) {
      if (bucket.addedTokens.length || bucket.removed) {
        this.settle(bucket, true);
        return true;
      }
    }
    return false;
  }

  /**
   * The index as a snapshot, every bucket sorted first (after `settleOne` has run out, there is none left
   * to sort): a bucket's added run has an order of its own that dropping removed entries would not keep.
   */
  toSnapshot(): SearchIndexSnapshot {
    const field = (pick: (c: SearchableCustomer) => string) => Array.from(this.customers, (c) => (c ? pick(c) : ''));
    const buckets: SearchIndexSnapshot['buckets'] = [];
    for (const [key, bucket] of this.buckets) {
      if (bucket.addedTokens.length || bucket.removed) this.settle(bucket, true);
      const tokens: string[] = [];
      const tokenOf = Uint32Array.from(bucket.tokens, (token) => {
        if (tokens[tokens.length - 1] !== token) tokens.push(token);
        return tokens.length - 1;
      });
      if (tokenOf.length) buckets.push({ key, tokens, tokenOf, slots: Int32Array.from(bucket.slots) });
    }
    const names: string[] = [];
    const nameAt = new Map<string, number>();
    const nameIndex = (pick: (c: SearchableCustomer, slot: number) => string) =>
      Uint32Array.from(this.customers, (c, slot) => {
        const name = c ? pick(c, slot) : '';
        let at = nameAt.get(name);
        if (at === undefined) {
          at = names.push(name) - 1;
          nameAt.set(name, at);
        }
        return at;
      });
    return {
      ids: field((c) => c.id),
      firstName: nameIndex((c) => c.firstName),
      lastName: nameIndex((c) => c.lastName),
      sortKey: nameIndex((_c, slot) => this.sortKeys[slot] as string),
      names,
      emails: field((c) => c.email),
      phones: field((c) => c.phone),
      barcodes: field((c) => c.cardBarcode),
      buckets,
      nameWords: [...this.nameWords.keys()],
      nameWordUses: Uint32Array.from(this.nameWords.values()),
      byName: this.byName ? Int32Array.from(this.nameOrder()) : null,
    };
  }

  /**
   * Fills this empty index from a snapshot, and returns its customers by slot; throws, leaving it empty,
   * if the snapshot does not hold together.
   */
  restore(snapshot: SearchIndexSnapshot): ReadonlyArray<SearchableCustomer | undefined> {
    if (this.customers.length) throw new Error('restore needs an empty index');
    const { ids, buckets, nameWords, nameWordUses, byName } = snapshot;
    const slotCount = ids.length;
    const { names } = snapshot;
    const fields = [snapshot.firstName, snapshot.lastName, snapshot.sortKey, snapshot.emails, snapshot.phones, snapshot.barcodes];
    if (fields.some((f) => f.length !== slotCount) || nameWords.length !== nameWordUses.length) throw new Error('snapshot arrays differ in length');
    const name = (positions: Uint32Array, slot: number) => {
      const found = names[positions[slot] as number];
      if (found === undefined) throw new Error('snapshot names a name it does not hold');
      return found;
    };
    try {
      for (let slot = 0; slot < slotCount; slot++) {
        const id = ids[slot] as string;
        if (!id) {
          this.customers.push(undefined);
          this.sortKeys.push('');
          this.freeSlots.push(slot);
          continue;
        }
        const customer: SearchableCustomer = {
          id,
          firstName: name(snapshot.firstName, slot),
          lastName: name(snapshot.lastName, slot),
          email: snapshot.emails[slot] as string,
          phone: snapshot.phones[slot] as string,
          cardBarcode: snapshot.barcodes[slot] as string,
        };
        this.customers.push(customer);
        this.sortKeys.push(name(snapshot.sortKey, slot));
        this.slotOf.set(id, slot);
      }
      for (const { key, tokens, tokenOf, slots } of buckets) {
        if (tokenOf.length !== slots.length) throw new Error('snapshot bucket arrays differ in length');
        // Searches and removals binary-search a bucket: one out of order would answer wrong, not fail.
        for (let t = 1; t < tokens.length; t++)
          if (!((tokens[t - 1] as string) < (tokens[t] as string))) throw new Error('snapshot bucket tokens out of order');
        const bucket: Bucket = { tokens: new Array<string>(slots.length), slots: new Array<number>(slots.length), addedTokens: [], addedSlots: [], removed: 0 };
        for (let i = 0; i < slots.length; i++) {
          const slot = slots[i] as number;
          const at = tokenOf[i] as number;
          if (!this.customers[slot]) throw new Error('snapshot bucket names a free slot');
          if (i > 0 && (at < (tokenOf[i - 1] as number) || (at === tokenOf[i - 1] && slot < (slots[i - 1] as number))))
            throw new Error('snapshot bucket entries out of order');
          bucket.tokens[i] = tokens[at] as string;
          bucket.slots[i] = slot;
        }
        this.buckets.set(key, bucket);
      }
      nameWords.forEach((word, i) => this.nameWords.set(word, nameWordUses[i] as number));
      this.typoWords.clear();
      if (byName && byName.length === this.slotOf.size) this.byName = Array.from(byName);
      this.nameRankStale = true;
      this.orderWhenIdle();
      return this.customers;
    } catch (error) {
      this.clear();
      throw error;
    }
  }

  private clear(): void {
    for (const collection of [this.customers, this.sortKeys, this.freeSlots]) collection.length = 0;
    for (const map of [this.slotOf, this.buckets, this.nameWords, this.typoWords]) map.clear();
    this.toSettle.clear();
    this.byName = undefined;
    this.orderBuild = undefined;
  }

  /** The best `limit` matches, best first, and how many match in all: what a cashier picks from. */
  search(query: string, limit = 50): SearchResult {
    return this.withMatches(query, (candidates) => this.topK(candidates, limit)) ?? { ids: [], total: 0 };
  }

  /**
   * Every customer `search` finds for the query, alphabetically by name rather than by relevance: what a
   * list sorted by its own columns filters by. Nothing is scored against anything else, so a one-letter
   * query matching a third of 100k customers costs a walk of the name order, not a sort of the matches.
   */
  matchingIds(query: string): string[] {
    return (
      this.withMatches(query, (candidates, isMatch) => {
        const order = this.nameOrder();
        if (candidates.length >= order.length * WALK_ORDER_SHARE) {
          const ids: string[] = [];
          for (const slot of order) if (isMatch(slot)) ids.push(this.idAt(slot));
          return ids;
        }
        const rank = this.ranks();
        // Ranks are distinct, so sorting them (a typed array: numeric, no comparator) orders the slots.
        const ranks = new Int32Array(candidates.length);
        candidates.forEach((slot, i) => (ranks[i] = rank[slot] as number));
        ranks.sort();
        return Array.from(ranks, (r) => this.idAt(order[r] as number));
      }) ?? []
    );
  }

  /**
   * Runs `use` on the slots matching every term of the query (scored in `totalScore`), then clears the
   * scratch arrays; undefined for a query with no terms.
   */
  private withMatches<T>(query: string, use: (candidates: number[], isMatch: (slot: number) => boolean) => T): T | undefined {
    const terms = this.parse(query);
    if (!terms.length) return undefined;
    this.ensureScratch();
    const touchedAll: number[] = [];
    let candidates: number[] = [];
    terms.forEach((alternatives, t) => {
      const touched: number[] = [];
      const hit = (slot: number, score: number) => {
        if (this.termsMatched[slot] !== t) return;
        const prev = this.termScore[slot] ?? 0;
        if (prev === 0) touched.push(slot);
        if (score > prev) this.termScore[slot] = score;
      };
      for (const alternative of alternatives) this.prefixHits(alternative, hit);
      const nameTerm = alternatives[0];
      if (nameTerm?.namespace === WORD && nameTerm.prefix.length >= MIN_TYPO_TERM && /^[\p{L}]/u.test(nameTerm.prefix)) this.typoHits(nameTerm.prefix, hit);
      for (const slot of touched) {
        this.termsMatched[slot] = t + 1;
        this.totalScore[slot] = (this.totalScore[slot] ?? 0) + (this.termScore[slot] ?? 0);
        this.termScore[slot] = 0;
        touchedAll.push(slot);
      }
      candidates = touched;
    });
    const matched = terms.length;
    try {
      return use(candidates, (slot) => this.termsMatched[slot] === matched);
    } finally {
      for (const slot of touchedAll) {
        this.termsMatched[slot] = 0;
        this.totalScore[slot] = 0;
      }
    }
  }

  /** Every indexed id, alphabetically by name. */
  allByName(): string[] {
    return this.nameOrder().map((slot) => this.idAt(slot));
  }

  /**
   * Live slots by name. Changes since the last read are sorted among themselves and merged into the
   * order, O(n + k log n): an import writing 2,000 customers at a time into 100k keeps a list in step in
   * milliseconds, where a full sort would take a third of a second per chunk.
   */
  private nameOrder(): number[] {
    const moved = this.moved;
    if (!this.byName || moved.size > this.slotOf.size / 2) {
      const byKey = this.groupByName();
      this.setNameOrder(byKey, [...byKey.keys()].sort());
    } else if (moved.size) {
      const kept = this.byName.filter((slot) => !moved.has(slot));
      const added = [...moved].filter((slot) => this.customers[slot]).sort((a, b) => this.compareNames(a, b));
      // Each moved slot found by binary search: a few edits cost a copy of the order, not a compare per customer.
      const merged: number[] = new Array(kept.length + added.length);
      let from = 0;
      let k = 0;
      for (const slot of added) {
        let lo = from;
        let hi = kept.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (this.compareNames(kept[mid] as number, slot) < 0) lo = mid + 1;
          else hi = mid;
        }
        while (from < lo) merged[k++] = kept[from++] as number;
        merged[k++] = slot;
      }
      while (from < kept.length) merged[k++] = kept[from++] as number;
      this.byName = merged;
      this.nameRankStale = true;
    }
    moved.clear();
    return this.byName ?? [];
  }

  private ranks(): Int32Array {
    if (this.nameRankStale) {
      if (this.nameRank.length < this.customers.length) this.nameRank = new Int32Array(Math.max(1024, this.customers.length * 2));
      (this.byName ?? []).forEach((slot, i) => (this.nameRank[slot] = i));
      this.nameRankStale = false;
    }
    return this.nameRank;
  }

  private markMoved(slot: number): void {
    if (this.byName) this.moved.add(slot);
    this.orderWhenIdle();
  }

  /**
   * Grouped by name first, as buckets are: 100k customers have about a third as many distinct names,
   * and sorting those natively takes half the time of comparing every pair of customers.
   */
  private groupByName(): Map<string, number[]> {
    const byKey = new Map<string, number[]>();
    this.customers.forEach((customer, slot) => {
      if (!customer) return;
      const key = this.sortKeys[slot] ?? '';
      const group = byKey.get(key);
      if (group) group.push(slot);
      else byKey.set(key, [slot]);
    });
    return byKey;
  }

  private setNameOrder(byKey: ReadonlyMap<string, number[]>, keys: readonly string[]): void {
    const order: number[] = [];
    for (const key of keys) {
      const group = byKey.get(key) as number[];
      // One name: by id, as compareNames would order them after comparing the equal names.
      if (group.length > 1) group.sort((a, b) => (this.idAt(a) < this.idAt(b) ? -1 : 1));
      for (const slot of group) order.push(slot);
    }
    this.byName = order;
    this.moved.clear();
    this.nameRankStale = true;
    this.orderBuild = undefined;
  }

  /**
   * Keeps the name order and ranks current when the page is idle, so a search orders a name's thousands
   * of matches (24k for "nguyen" at 100k) by integer rank rather than by comparing names (see topK).
   */
  private orderWhenIdle(): void {
    if (this.orderScheduled) return;
    this.orderScheduled = true;
    whenIdle(this.orderStep);
  }

  /**
   * One step per idle period: a merge of what moved, or a part of a first order (noting the version,
   * grouping, sorting the names, putting the order together).
   */
  private readonly orderStep = (): void => {
    this.orderScheduled = false;
    if (this.byName && !this.moved.size) {
      this.ranks();
      this.warmUpWhenIdle();
      return;
    }
    if (this.byName && this.moved.size <= this.slotOf.size / 2) {
      this.nameOrder();
      this.ranks();
      this.warmUpWhenIdle();
      return;
    }
    const build = this.orderBuild;
    // Started only after an idle period with no change: a bulk load indexed in slices would restart it each time.
    if (!build || build.version !== this.version) this.orderBuild = { version: this.version };
    else if (!build.byKey) build.byKey = this.groupByName();
    else if (!build.keys) build.keys = [...build.byKey.keys()].sort();
    else {
      this.setNameOrder(build.byKey, build.keys);
      this.ranks();
      this.warmUpWhenIdle();
      return;
    }
    this.orderWhenIdle();
  };

  /**
   * A page's first searches run code V8 has not optimised yet: in Chromium at 10k customers, the first
   * keystroke in a fresh page's picker took ~10 ms and the same one later ~1.5 ms. So once the name order
   * is ready, the index runs a few searches whose answers are dropped, in idle periods with time to spare,
   * and the cashier's first searches find the code warm. Not in Node, which has no idle periods; on a page
   * kept busy it gives up after a few tries rather than take time from anything else.
   */
  private warmUpWhenIdle(): void {
    if (this.warmUpScheduled || !hasIdlePeriods()) return;
    this.warmUpScheduled = true;
    let next = 0;
    let tries = 0;
    const step = (timeLeft: () => number): void => {
      while (next < WARM_UP_QUERIES.length && timeLeft() >= WARM_UP_MIN_IDLE_MS) this.search(WARM_UP_QUERIES[next++] as string, WARM_UP_LIMIT);
      if (next < WARM_UP_QUERIES.length && ++tries < WARM_UP_TRIES) whenIdle(step);
    };
    whenIdle(step);
  }

  private removeSlot(id: string): void {
    this.version++;
    const slot = this.slotOf.get(id);
    const customer = slot === undefined ? undefined : this.customers[slot];
    if (slot === undefined || !customer) return;
    // The customer's tokens again, from the fields it was indexed with.
    this.eachToken(customer, (namespace, token, isName) => {
      if (isName) this.countNameWord(token, -1);
      this.removeEntries(this.bucketFor(namespace, token), token, slot);
    });
    this.customers[slot] = undefined;
    this.slotOf.delete(id);
    this.freeSlots.push(slot);
  }

  /**
   * Moves a slot's entries from the tokens of `before` to those of `after`: a token with as many entries
   * for the slot either way (by namespace) is left alone, one that differs has them all replaced.
   */
  private retoken(slot: number, before: SearchableCustomer, after: SearchableCustomer): void {
    if (
      before.firstName === after.firstName &&
      before.lastName === after.lastName &&
      before.email === after.email &&
      before.phone === after.phone &&
      before.cardBarcode === after.cardBarcode
    ) {
      return;
    }
    // A customer has a handful of tokens: lists compared pairwise cost less than a keyed map.
    const had = this.tokensOf(before);
    const has = this.tokensOf(after);
    const all = had.concat(has);
    for (let i = 0; i < all.length; i++) {
      const { namespace, token } = all[i] as Token;
      if (indexOfToken(all, namespace, token) !== i) continue;
      const [hadEntries, hadNames] = countToken(had, namespace, token);
      const [hasEntries, hasNames] = countToken(has, namespace, token);
      if (hadNames !== hasNames) this.countNameWord(token, hasNames - hadNames);
      if (hadEntries === hasEntries) continue;
      const bucket = this.bucketFor(namespace, token);
      this.removeEntries(bucket, token, slot);
      for (let k = 0; k < hasEntries; k++) this.addEntry(bucket, token, slot);
    }
  }

  private tokensOf(customer: SearchableCustomer): Token[] {
    const tokens: Token[] = [];
    this.eachToken(customer, (namespace, token, isName) => tokens.push({ namespace, token, isName }));
    return tokens;
  }

  /** How many customers use a name word, changed by `delta`. */
  private countNameWord(token: string, delta: number): void {
    // A word that comes or goes changes which words are a typo away from a term.
    if (delta > 0 ? !this.nameWords.has(token) : (this.nameWords.get(token) ?? 0) + delta <= 0) this.typoWords.clear();
    const uses = (this.nameWords.get(token) ?? 0) + delta;
    if (uses <= 0) this.nameWords.delete(token);
    else this.nameWords.set(token, uses);
  }

  /**
   * Adds an entry: inserted in order among the first RESORT_THRESHOLD added since the last sort, appended
   * after them, and the bucket sorted when the page is next idle (a store receiving 100k customers at
   * once has them all sorted before anyone searches, and a search meanwhile scans what is unsorted).
   */
  private addEntry(bucket: Bucket, token: string, slot: number): void {
    const { addedTokens, addedSlots } = bucket;
    if (addedTokens.length >= RESORT_THRESHOLD) {
      addedTokens.push(token);
      addedSlots.push(slot);
      this.settleSoon(bucket);
      return;
    }
    const at = lowerBound(addedTokens, token, addedSlots, slot);
    addedTokens.splice(at, 0, token);
    addedSlots.splice(at, 0, slot);
  }

  /** Marks every entry of (token, slot) removed, found by binary search in both runs. */
  private removeEntries(bucket: Bucket, token: string, slot: number): void {
    // Afterwards the bucket holds at most RESORT_THRESHOLD added entries: all of them in the ordered run.
    this.settle(bucket);
    for (const [tokens, slots] of [
      [bucket.tokens, bucket.slots],
      [bucket.addedTokens, bucket.addedSlots],
    ] as const) {
      for (let i = lowerBound(tokens, token, slots, slot); tokens[i] === token && original(slots[i] as number) === slot; i++) {
        if (slots[i] !== slot) continue;
        slots[i] = removed(slot);
        bucket.removed++;
      }
    }
  }

  /**
   * Every token of a customer, name words flagged. A name written twice or an email word that is also a
   * name gives two entries: matching takes the best score per customer, and removal finds both again.
   */
  private eachToken(customer: SearchableCustomer, visit: (namespace: Namespace, token: string, isName: boolean) => void): void {
    for (const word of this.nameOf(customer.firstName).words) visit(WORD, word, true);
    for (const word of this.nameOf(customer.lastName).words) visit(WORD, word, true);
    const email = customer.email && fold(customer.email);
    if (email) {
      visit(EMAIL, email, false);
      const at = email.indexOf('@');
      for (const word of words(at < 0 ? email : email.slice(0, at))) visit(WORD, word, false);
    }
    const digits = customer.phone.replace(/\D/g, '');
    if (digits) {
      visit(PHONE, digits, false);
      const national = nationalDigits(customer.phone);
      if (national) visit(PHONE, national, false);
    }
    const barcode = customer.cardBarcode && fold(customer.cardBarcode);
    if (barcode) visit(BARCODE, barcode, false);
  }

  /** A first or last name folded and split, cached: names repeat (100k customers have ~5k distinct). */
  private nameOf(name: string): FoldedName {
    let folded = this.foldedNames.get(name);
    if (!folded) {
      if (this.foldedNames.size >= NAME_CACHE_SIZE) this.foldedNames.clear();
      const text = fold(name);
      folded = { folded: text, words: words(text) };
      this.foldedNames.set(name, folded);
    }
    return folded;
  }

  private bucketFor(namespace: Namespace, token: string): Bucket {
    const key = bucketKey(namespace, token);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: [], slots: [], addedTokens: [], addedSlots: [], removed: 0 };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  /**
   * Sorts the bucket's entries again once scanning the unsorted and removed ones costs more. Entries are
   * grouped by token first: a name bucket holds ~70k entries of a few hundred words at 100k customers,
   * and sorting the distinct words (natively, no comparator) then each word's slots as numbers takes a
   * fraction of sorting every entry by string comparison — the first keystroke of a search pays for it.
   */
  private settle(bucket: Bucket, always = false): void {
    if (!always && bucket.addedTokens.length + bucket.removed <= RESORT_THRESHOLD) return;
    const byToken = new Map<string, number[]>();
    const collect = (tokens: readonly string[], slots: readonly number[]) => {
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i] as number;
        if (slot < 0) continue;
        const token = tokens[i] as string;
        const group = byToken.get(token);
        if (group) group.push(slot);
        else byToken.set(token, [slot]);
      }
    };
    collect(bucket.tokens, bucket.slots);
    collect(bucket.addedTokens, bucket.addedSlots);
    // The default sort orders strings by UTF-16 code units, as `<` (and lowerBound) does.
    const distinct = [...byToken.keys()].sort();
    const tokens: string[] = [];
    const slots: number[] = [];
    for (const token of distinct) {
      const group = byToken.get(token) as number[];
      if (group.length > 1) group.sort((a, b) => a - b);
      for (const slot of group) {
        tokens.push(token);
        slots.push(slot);
      }
    }
    bucket.tokens = tokens;
    bucket.slots = slots;
    bucket.addedTokens = [];
    bucket.addedSlots = [];
    bucket.removed = 0;
  }

  /** Sorts the bucket when the page is idle (see prefixHits and addEntry). */
  private settleSoon(bucket: Bucket): void {
    if (bucket.addedTokens.length + bucket.removed <= RESORT_THRESHOLD || this.toSettle.has(bucket)) return;
    this.toSettle.add(bucket);
    if (this.toSettle.size === 1) {
      this.settleVersion = this.version;
      whenIdle(this.settleWaiting);
    }
  }

  /**
   * Sorts waiting buckets while the idle period lasts, one at least (a large one takes tens of ms at 100k),
   * once an idle period has passed with no change: an import writing in chunks would otherwise have its
   * large buckets sorted again after every chunk.
   */
  private readonly settleWaiting = (timeLeft: () => number): void => {
    if (this.settleVersion !== this.version) {
      this.settleVersion = this.version;
      whenIdle(this.settleWaiting);
      return;
    }
    for (const bucket of this.toSettle) {
      this.toSettle.delete(bucket);
      this.settle(bucket);
      if (timeLeft() < IDLE_SORT_MIN_MS) break;
    }
    if (this.toSettle.size) whenIdle(this.settleWaiting);
  };

  /** Query terms, each a list of alternatives any of which may match it by prefix. */
  private parse(query: string): Alternative[][] {
    const trimmed = query.trim();
    if (!trimmed) return [];
    if (isPhoneQuery(trimmed)) {
      const digits = trimmed.replace(/\D/g, '');
      return [[...phoneQueryDigits(trimmed).map((prefix): Alternative => ({ namespace: PHONE, prefix })), { namespace: BARCODE, prefix: digits }]];
    }
    if (trimmed.includes('@')) return [[{ namespace: EMAIL, prefix: fold(trimmed) }]];
    return words(fold(trimmed)).map((prefix): Alternative[] =>
      prefix.length >= MIN_BARCODE_PREFIX
        ? [
            { namespace: WORD, prefix },
            { namespace: BARCODE, prefix },
          ]
        : [{ namespace: WORD, prefix }],
    );
  }

  private prefixHits({ namespace, prefix }: Alternative, hit: (slot: number, score: number) => void): void {
    const bucket = prefix ? this.buckets.get(bucketKey(namespace, prefix)) : undefined;
    if (!bucket) return;
    // Scanning a bucket's unsorted entries costs about a millisecond; sorting them, tens. So a keystroke
    // scans, and the bucket is sorted once the results are on screen and the page is idle.
    this.settleSoon(bucket);
    // Shorter completions rank first: "an" prefers "an" and "anh" to "annabelle".
    const scoreOf = (token: string) => (token.length === prefix.length ? EXACT : PREFIX + prefix.length / token.length);
    const { tokens, slots, addedTokens, addedSlots } = bucket;
    let last = '';
    let score = 0;
    for (let i = lowerBound(tokens, prefix); i < tokens.length; i++) {
      const token = tokens[i] as string;
      if (token !== last) {
        if (!token.startsWith(prefix)) break;
        last = token;
        score = scoreOf(token);
      }
      const slot = slots[i] as number;
      if (slot >= 0) hit(slot, score);
    }
    for (let i = 0; i < addedTokens.length; i++) {
      const token = addedTokens[i] as string;
      const slot = addedSlots[i] as number;
      if (slot >= 0 && token.startsWith(prefix)) hit(slot, scoreOf(token));
    }
  }

  private typoHits(term: string, hit: (slot: number, score: number) => void): void {
    for (const [word, score] of this.wordsNear(term)) this.exactHits(word, score, hit);
  }

  /**
   * Name words a typo away from the term, with the score of such a match. Kept for the last few terms:
   * "nguyen v", "nguyen va", "nguyen van" each look up "nguyen" again, and comparing it with every name
   * word was a third of a keystroke's search at 10k.
   */
  private wordsNear(term: string): Array<[string, number]> {
    const known = this.typoWords.get(term);
    if (known) return known;
    const max = term.length >= 8 ? 2 : 1;
    const len = term.length;
    const near: Array<[string, number]> = [];
    for (const word of this.nameWords.keys()) {
      if (word.length < len - max || word.startsWith(term)) continue;
      // A word too long to be a typo of the term may still start with one.
      const whole = word.length <= len + max;
      if (whole ? withinDistance(term, word, max) : withinDistance(term, word.slice(0, len), max) || withinDistance(term, word.slice(0, len + 1), max))
        near.push([word, whole ? WORD_TYPO : PREFIX_TYPO]);
    }
    if (this.typoWords.size >= TYPO_TERMS_KEPT) this.typoWords.clear();
    this.typoWords.set(term, near);
    return near;
  }

  /** Every customer with this name word (or email word), scored alike. */
  private exactHits(word: string, score: number, hit: (slot: number, score: number) => void): void {
    const bucket = this.buckets.get(bucketKey(WORD, word));
    if (!bucket) return;
    this.settle(bucket);
    const { tokens, slots, addedTokens, addedSlots } = bucket;
    for (let i = lowerBound(tokens, word); tokens[i] === word; i++) {
      const slot = slots[i] as number;
      if (slot >= 0) hit(slot, score);
    }
    for (let i = 0; i < addedTokens.length; i++) {
      const slot = addedSlots[i] as number;
      if (slot >= 0 && addedTokens[i] === word) hit(slot, score);
    }
  }

  private topK(candidates: number[], limit: number): SearchResult {
    if (limit <= 0) return { ids: [], total: candidates.length };
    const score = this.totalScore;
    // Equal scores are ordered by name: by rank while the name order is current (orderWhenIdle keeps it
    // so), which for 24k matches of one name takes a quarter of the time of comparing the names. Ranks
    // not yet taken from a current order (the first search after an open from a snapshot) are taken now
    // for many matches: one pass over the order costs less than comparing their names.
    const orderCurrent = this.byName !== undefined && !this.moved.size;
    const rank = orderCurrent && (!this.nameRankStale || candidates.length * RANKS_NOW_ONE_IN >= this.slotOf.size) ? this.ranks() : undefined;
    const nameFirst = rank ? (a: number, b: number) => (rank[a] as number) < (rank[b] as number) : (a: number, b: number) => this.compareNames(a, b) < 0;
    const better = (a: number, b: number) => {
      const sa = score[a] ?? 0;
      const sb = score[b] ?? 0;
      return sa !== sb ? sa > sb : nameFirst(a, b);
    };
    if (candidates.length > limit * 4) {
      // The best `limit` in a heap with the worst of them on top: most matches lose to that one compare,
      // and a winner costs log(limit) compares where a sorted buffer would shift through half of it.
      const heap: number[] = [];
      const worse = (i: number, j: number) => better(heap[j] as number, heap[i] as number);
      const swap = (i: number, j: number) => ([heap[i], heap[j]] = [heap[j] as number, heap[i] as number]);
      for (const slot of candidates) {
        if (heap.length < limit) {
          heap.push(slot);
          for (let i = heap.length - 1, up = (i - 1) >> 1; i > 0 && worse(i, up); i = up, up = (i - 1) >> 1) swap(i, up);
          continue;
        }
        if (!better(slot, heap[0] as number)) continue;
        heap[0] = slot;
        for (let i = 0; ;) {
          const left = 2 * i + 1;
          const right = left + 1;
          let worst = i;
          if (left < heap.length && worse(left, worst)) worst = left;
          if (right < heap.length && worse(right, worst)) worst = right;
          if (worst === i) break;
          swap(i, worst);
          i = worst;
        }
      }
      heap.sort((a, b) => (better(a, b) ? -1 : 1));
      return { ids: heap.map((s) => this.idAt(s)), total: candidates.length };
    }
    const sorted = [...candidates].sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
    return { ids: sorted.slice(0, limit).map((s) => this.idAt(s)), total: candidates.length };
  }

  private idAt(slot: number): string {
    return this.customers[slot]?.id ?? '';
  }

  private compareNames(a: number, b: number): number {
    const ka = this.sortKeys[a] ?? '';
    const kb = this.sortKeys[b] ?? '';
    if (ka !== kb) return ka < kb ? -1 : 1;
    return this.idAt(a) < this.idAt(b) ? -1 : 1;
  }

  private ensureScratch(): void {
    if (this.termScore.length >= this.customers.length) return;
    const capacity = Math.max(1024, this.customers.length * 2);
    this.termScore = new Float32Array(capacity);
    this.totalScore = new Float32Array(capacity);
    this.termsMatched = new Uint8Array(capacity);
  }
}

/** Buckets by namespace and first character (UTF-16 unit: a key, not a letter). */
function bucketKey(namespace: Namespace, token: string): number {
  return namespace * 0x10000 + token.charCodeAt(0);
}

function indexOfToken(tokens: readonly Token[], namespace: Namespace, token: string): number {
  for (let i = 0; i < tokens.length; i++) if (tokens[i]?.namespace === namespace && tokens[i]?.token === token) return i;
  return -1;
}

/** How many of `tokens` are this token, and how many of those are name words. */
function countToken(tokens: readonly Token[], namespace: Namespace, token: string): [entries: number, names: number] {
  let entries = 0;
  let names = 0;
  for (const t of tokens) {
    if (t.namespace !== namespace || t.token !== token) continue;
    entries++;
    if (t.isName) names++;
  }
  return [entries, names];
}

/** A removed entry's slot: negative, so lookups skip it, and still ordered among its token's entries. */
function removed(slot: number): number {
  return -1 - slot;
}

/** The slot an entry was made for, whether or not it has been removed since. */
function original(slot: number): number {
  return slot < 0 ? removed(slot) : slot;
}

/** The first entry not before `token` (and, among entries of that token, not before `slot`). */
function lowerBound(tokens: readonly string[], token: string, slots?: readonly number[], slot = 0): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const at = tokens[mid] as string;
    const atSlot = slots?.[mid] ?? 0;
    if (at < token || (slots && at === token && original(atSlot) < slot)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
