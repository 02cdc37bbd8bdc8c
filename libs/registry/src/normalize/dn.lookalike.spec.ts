import { normalizeBindingValue } from './binding-value.normalizer';
import { normalizeDn } from './dn.normalizer';

/**
 * Issue 13, finding 4: names that merely look alike must never get the same key. Each pair is
 * (what a certificate may carry, what a binding names); equal keys would let the first
 * authenticate as the second.
 */
const LOOKALIKES: ReadonlyArray<readonly [label: string, certificate: string, binding: string]> = [
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

describe('DN look-alikes never share a key', () => {
  it.each(LOOKALIKES)('%s: %j vs %j', (_label, certificate, binding) => {
    expect(normalizeDn(certificate)).not.toBe(normalizeDn(binding));
  });

  it.each(LOOKALIKES)('as subject binding values too: %s', (_label, certificate, binding) => {
    expect(normalizeBindingValue('subject', certificate)).not.toBe(normalizeBindingValue('subject', binding));
  });

  it.each(LOOKALIKES)('and as issuer+serial keys: %s', (_label, certificate, binding) => {
    expect(normalizeBindingValue('issuer-serial', `${certificate}|01`)).not.toBe(normalizeBindingValue('issuer-serial', `${binding}|01`));
  });

  it('unescapes before trimming: CN "admin " and CN "admin\\" get different keys', () => {
    expect(normalizeDn('CN=admin\\ ')).not.toBe(normalizeDn('CN=admin\\5C'));
    expect(normalizeDn('CN=admin\\20')).not.toBe(normalizeDn('CN=admin\\\\'));
  });
});

describe('names that ARE the same still match', () => {
  it.each([
    ['ASCII case', 'CN=Admin,O=Example Org', 'cn=ADMIN,o=example org'],
    ['canonically equivalent forms (NFC)', 'CN=J\u00FCrgen', 'CN=Ju\u0308rgen'],
    ['UTF-8 hex escapes', 'CN=J\u00FCrgen', 'CN=J\\C3\\BCrgen'],
    ['formatting spaces around separators', 'CN=alice,O=Example Org', 'CN = alice , O = Example Org'],
    ['insignificant leading and trailing spaces of a value (RFC 4518 §2.6.1, U+0020 only)', 'CN=admin', 'CN=\\ admin\\ '],
  ])('%s: %j and %j', (_label, a, b) => {
    expect(normalizeDn(a)).toBe(normalizeDn(b));
  });
});
