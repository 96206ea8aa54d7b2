/**
 * Text folding shared by the index and by highlighting: lower case, accents off ("Nguyễn" → "nguyen"),
 * and the letters NFD does not decompose mapped by hand.
 */
const EXTRA_FOLDS: Record<string, string> = { đ: 'd', ø: 'o', ł: 'l', ß: 'ss', æ: 'ae', œ: 'oe', ı: 'i' };
const EXTRA_FOLD_RE = /[đøłßæœı]/g;

const ASCII = /^[\x00-\x7f]*$/;

export function fold(text: string): string {
  // Nothing to decompose or map in ASCII (most emails, codes and many names): lower case is all.
  if (ASCII.test(text)) return text.toLowerCase();
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(EXTRA_FOLD_RE, (ch) => EXTRA_FOLDS[ch] ?? ch);
}

export function words(folded: string): string[] {
  return folded.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/** A query that is only digits and phone punctuation is read as a phone number, whatever its spacing. */
export function isPhoneQuery(query: string): boolean {
  return /^[\d\s().+\-/]+$/.test(query) && /\d.*\d.*\d/.test(query);
}

/**
 * Spans of `text` that a query's words match by prefix, for highlighting results. Works on the folded
 * text, whose length can differ from the original only for the hand-mapped letters, so positions are
 * mapped back per character.
 */
export function matchSpans(text: string, query: string): Array<[start: number, end: number]> {
  const terms = words(fold(query));
  if (!terms.length || !text) return [];
  const spans: Array<[number, number]> = [];
  const re = /[\p{L}\p{N}]+/gu;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const word = fold(m[0]);
    const term = terms.find((t) => word.startsWith(t));
    if (!term) continue;
    // Walk the original word until its folded prefix covers the term (a letter folds on its own as in a word).
    let end = m.index;
    for (let covered = 0; end < m.index + m[0].length && covered < term.length; end++) covered += fold(text.charAt(end)).length;
    spans.push([m.index, end]);
  }
  return spans;
}

/**
 * Digit strings a phone query may match by prefix: the digits as typed, and without the national
 * trunk prefix ("0912…" → "912…"), so partial national input finds stored international numbers.
 */
export function phoneQueryDigits(query: string): string[] {
  const digits = query.replace(/\D/g, '');
  if (!digits) return [];
  const out = new Set([digits]);
  const trunkless = digits.replace(/^0+/, '');
  if (trunkless.length >= 2) out.add(trunkless);
  return [...out];
}
