import { nationalDigits, phoneQueryDigits } from '../model/phone.js';
import { withinDistance } from './edit-distance.js';
import { fold, isPhoneQuery, words } from './search-text.js';

/** What the index needs of a customer. */
export interface SearchableCustomer {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  cardBarcode: string;
}

export interface SearchResult {
  /** Best first, at most `limit`. */
  ids: string[];
  /** How many customers match in all. */
  total: number;
}

// Token namespaces keep a phone's digits, a full email and a barcode from matching name words.
const PHONE = '#';
const EMAIL = '@';
const BARCODE = '!';

const EXACT = 4;
const PREFIX = 2;
const TYPO = 1;
/** Below this many characters a typo match finds too many unrelated names to help. */
const MIN_TYPO_TERM = 4;
/** More new tokens than this since the last query: re-sort all tokens instead of inserting each. */
const RESORT_THRESHOLD = 512;

/**
 * An in-memory inverted index over name, email, phone and card barcode: prefix matching over a sorted
 * token list, typo tolerance over name words, ranking by match quality then name. A customer is
 * addressed by a small integer slot so per-query scoring runs over typed arrays, not maps.
 * (MiniSearch was measured against it in bench/search.ts; see bench/RESULTS.md.)
 */
export class SearchIndex {
  private readonly ids: Array<string | undefined> = [];
  private readonly slotOf = new Map<string, number>();
  private readonly freeSlots: number[] = [];
  private readonly slotTokens: Array<string[] | undefined> = [];
  private readonly sortKeys: string[] = [];
  private readonly postings = new Map<string, number[]>();
  /** Name words with how many customers use each: the candidates of a typo-tolerant match. */
  private readonly nameWords = new Map<string, number>();
  private sortedTokens: string[] = [];
  private pendingTokens: string[] = [];
  private termScore = new Float32Array(0);
  private totalScore = new Float32Array(0);
  private termsMatched = new Uint8Array(0);

  get size(): number {
    return this.slotOf.size;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  /** Adds or replaces a customer. */
  put(customer: SearchableCustomer): void {
    this.remove(customer.id);
    const slot = this.freeSlots.pop() ?? this.ids.length;
    this.ids[slot] = customer.id;
    this.slotOf.set(customer.id, slot);
    const names = [...words(fold(customer.firstName)), ...words(fold(customer.lastName))];
    const tokens = new Set(names);
    for (const name of names) this.nameWords.set(name, (this.nameWords.get(name) ?? 0) + 1);
    if (customer.email) {
      const email = fold(customer.email);
      tokens.add(EMAIL + email);
      for (const part of words(email.split('@', 1)[0] ?? '')) tokens.add(part);
    }
    if (customer.phone) {
      tokens.add(PHONE + customer.phone.replace(/\D/g, ''));
      const national = nationalDigits(customer.phone);
      if (national) tokens.add(PHONE + national);
    }
    if (customer.cardBarcode) tokens.add(BARCODE + fold(customer.cardBarcode));
    const list = [...tokens];
    this.slotTokens[slot] = list;
    this.sortKeys[slot] = fold(`${customer.firstName} ${customer.lastName}`.trim());
    for (const token of list) {
      const posting = this.postings.get(token);
      if (posting) posting.push(slot);
      else {
        this.postings.set(token, [slot]);
        this.pendingTokens.push(token);
      }
    }
  }

  remove(id: string): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return;
    for (const token of this.slotTokens[slot] ?? []) {
      const posting = this.postings.get(token);
      if (!posting) continue;
      const at = posting.indexOf(slot);
      if (at >= 0) {
        posting[at] = posting[posting.length - 1] as number;
        posting.pop();
      }
      // An emptied token stays in the sorted list until the next re-sort; lookups skip it.
      if (!posting.length) this.postings.delete(token);
      const uses = this.nameWords.get(token);
      if (uses !== undefined) {
        if (uses <= 1) this.nameWords.delete(token);
        else this.nameWords.set(token, uses - 1);
      }
    }
    this.slotTokens[slot] = undefined;
    this.ids[slot] = undefined;
    this.slotOf.delete(id);
    this.freeSlots.push(slot);
  }

  search(query: string, limit = 50): SearchResult {
    const terms = this.parse(query);
    if (!terms.length) return { ids: [], total: 0 };
    this.syncTokens();
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
      for (const alt of alternatives) this.prefixHits(alt, hit);
      const nameTerm = alternatives[0];
      if (nameTerm && nameTerm.length >= MIN_TYPO_TERM && /^[\p{L}]/u.test(nameTerm)) this.typoHits(nameTerm, hit);
      for (const slot of touched) {
        this.termsMatched[slot] = t + 1;
        this.totalScore[slot] = (this.totalScore[slot] ?? 0) + (this.termScore[slot] ?? 0);
        this.termScore[slot] = 0;
        touchedAll.push(slot);
      }
      candidates = touched;
    });
    const ranked = this.topK(candidates, limit);
    for (const slot of touchedAll) {
      this.termsMatched[slot] = 0;
      this.totalScore[slot] = 0;
    }
    return { ids: ranked.ids, total: ranked.total };
  }

  /** Every indexed id, alphabetically by name. */
  allByName(): string[] {
    const slots: number[] = [];
    this.ids.forEach((id, slot) => id !== undefined && slots.push(slot));
    slots.sort((a, b) => this.compareNames(a, b));
    return slots.map((slot) => this.ids[slot] as string);
  }

  /** Query terms, each a list of alternative tokens any of which may match it by prefix. */
  private parse(query: string): string[][] {
    const trimmed = query.trim();
    if (!trimmed) return [];
    if (isPhoneQuery(trimmed)) {
      const digits = trimmed.replace(/\D/g, '');
      return [[...phoneQueryDigits(trimmed).map((d) => PHONE + d), BARCODE + digits]];
    }
    if (trimmed.includes('@')) return [[EMAIL + fold(trimmed)]];
    return words(fold(trimmed)).map((w) => [w, BARCODE + w]);
  }

  private prefixHits(prefix: string, hit: (slot: number, score: number) => void): void {
    const tokens = this.sortedTokens;
    let lo = 0;
    let hi = tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((tokens[mid] as string) < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < tokens.length; i++) {
      const token = tokens[i] as string;
      if (!token.startsWith(prefix)) break;
      const posting = this.postings.get(token);
      if (!posting) continue;
      // Shorter completions rank first: "an" prefers "an" and "anh" to "annabelle".
      const score = token.length === prefix.length ? EXACT : PREFIX + prefix.length / token.length;
      for (const slot of posting) hit(slot, score);
    }
  }

  private typoHits(term: string, hit: (slot: number, score: number) => void): void {
    const max = term.length >= 8 ? 2 : 1;
    const len = term.length;
    for (const word of this.nameWords.keys()) {
      if (word.length < len - max || word.startsWith(term)) continue;
      const near =
        withinDistance(term, word.length > len + max ? word.slice(0, len) : word, max) ||
        (word.length > len + max && withinDistance(term, word.slice(0, len + 1), max));
      if (!near) continue;
      for (const slot of this.postings.get(word) ?? []) hit(slot, TYPO);
    }
  }

  private topK(candidates: number[], limit: number): SearchResult {
    const better = (a: number, b: number) => {
      const sa = this.totalScore[a] ?? 0;
      const sb = this.totalScore[b] ?? 0;
      return sa !== sb ? sa > sb : this.compareNames(a, b) < 0;
    };
    if (candidates.length > limit * 4) {
      // Keep only the best `limit` in a small sorted buffer instead of sorting every match.
      const best: number[] = [];
      for (const slot of candidates) {
        if (best.length === limit && !better(slot, best[limit - 1] as number)) continue;
        let at = best.length;
        while (at > 0 && better(slot, best[at - 1] as number)) at--;
        best.splice(at, 0, slot);
        if (best.length > limit) best.pop();
      }
      return { ids: best.map((s) => this.ids[s] as string), total: candidates.length };
    }
    const sorted = [...candidates].sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
    return { ids: sorted.slice(0, limit).map((s) => this.ids[s] as string), total: candidates.length };
  }

  private compareNames(a: number, b: number): number {
    const ka = this.sortKeys[a] ?? '';
    const kb = this.sortKeys[b] ?? '';
    if (ka !== kb) return ka < kb ? -1 : 1;
    return (this.ids[a] ?? '') < (this.ids[b] ?? '') ? -1 : 1;
  }

  private syncTokens(): void {
    if (!this.pendingTokens.length) return;
    if (this.pendingTokens.length > RESORT_THRESHOLD) {
      this.sortedTokens = [...this.postings.keys()].sort();
    } else {
      for (const token of this.pendingTokens) {
        if (!this.postings.has(token)) continue;
        let lo = 0;
        let hi = this.sortedTokens.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if ((this.sortedTokens[mid] as string) < token) lo = mid + 1;
          else hi = mid;
        }
        if (this.sortedTokens[lo] !== token) this.sortedTokens.splice(lo, 0, token);
      }
    }
    this.pendingTokens = [];
  }

  private ensureScratch(): void {
    if (this.termScore.length >= this.ids.length) return;
    const capacity = Math.max(1024, this.ids.length * 2);
    this.termScore = new Float32Array(capacity);
    this.totalScore = new Float32Array(capacity);
    this.termsMatched = new Uint8Array(capacity);
  }
}
