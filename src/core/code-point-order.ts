/**
 * Orders strings by Unicode code point, which is how PostgreSQL's "C" collation orders UTF-8
 * text. JavaScript's `<` compares UTF-16 units, and a character above U+FFFF (a surrogate
 * pair, 0xD800–0xDFFF) then sorts before U+E000–U+FFFF; every store must list in one order.
 *
 * @example
 * compareCodePoints('\uFF5E', '\u{1F600}'); // -1, where '\uFF5E' < '\u{1F600}' is false
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length < b.length ? -1 : 1;
  const x = a.charCodeAt(i);
  const y = b.charCodeAt(i);
  // Only a surrogate against U+E000–U+FFFF differs between the two orders; surrogate pairs
  // among themselves already compare in code point order.
  const xSurrogate = x >= 0xd800 && x <= 0xdfff;
  const ySurrogate = y >= 0xd800 && y <= 0xdfff;
  if (xSurrogate !== ySurrogate && x >= 0xd800 && y >= 0xd800) return xSurrogate ? 1 : -1;
  return x < y ? -1 : 1;
}
