/**
 * Issue 13, finding 4: names that merely look alike must never get the same key. Each pair is
 * (what a certificate may carry, what a binding names); equal keys would let the first
 * authenticate as the second.
 */
export const LOOKALIKES: ReadonlyArray<readonly [label: string, certificate: string, binding: string]> = [
  ['full-width letters', 'CN=ＡＤＭＩＮ', 'CN=admin'],
  ['full-width letters (binding in capitals)', 'CN=ＡＤＭＩＮ', 'CN=ADMIN'],
  ['two spaces', 'O=Example  Org', 'O=Example Org'],
  ['a no-break space', 'O=Example\u00A0Org', 'O=Example Org'],
  ['U+2134 script small o', 'O=Example \u2134rg', 'O=Example Org'],
  ['U+2134 script small o (lower case binding)', 'O=Example \u2134rg', 'O=example org'],
  ['full-width comma and equals sign in one CN', 'CN=alice\uFF0CO\uFF1DExample Org', 'CN=alice\\,O\\=Example Org'],
  ['a ligature', 'CN=\uFB01le', 'CN=file'],
  ['superscript digits', 'CN=client\u00B2', 'CN=client2'],
  ['an ideographic space', 'O=Example\u3000Org', 'O=Example Org'],
  ['a tab', 'O=Example\tOrg', 'O=Example Org'],
  ['a trailing space (escaped) vs a trailing backslash', 'CN=admin\\ ', 'CN=admin\\\\'],
  ['a leading space (escaped) vs a leading backslash', 'CN=\\ admin', 'CN=\\\\admin'],
  ['dotted capital I', 'CN=\u0130nfo', 'CN=info'],
  ['Cyrillic a', 'CN=\u0430dmin', 'CN=admin'],
  ['zero-width space', 'CN=ad\u200Bmin', 'CN=admin'],
  ['soft hyphen', 'CN=ad\u00ADmin', 'CN=admin'],
];
