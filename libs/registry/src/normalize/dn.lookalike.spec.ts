import { normalizeBindingValue } from './binding-value.normalizer';
import { normalizeDn } from './dn.normalizer';
import { LOOKALIKES } from '../testing/dn-lookalike.corpus';

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
