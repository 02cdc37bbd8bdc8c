import { DnSyntaxError, normalizeDn } from './dn.normalizer';

describe('normalizeDn', () => {
  it.each([
    ['case of types and values, formatting spaces', 'CN=Alice Smith,O=Example', 'cn = alice smith , o = EXAMPLE'],
    ['OIDs and short names', 'CN=alice,O=Example', '2.5.4.3=alice,OID.2.5.4.10=Example'],
    ['E / emailAddress aliases', 'emailAddress=a@example.com', 'E=A@Example.com'],
    ['escaped and hex-escaped characters', 'CN=a\\,b', 'CN=a\\2Cb'],
    ['quoted values', 'CN=a\\,b', 'CN="a,b"'],
    ['UTF-8 hex escapes', 'CN=Jürgen', 'CN=J\\C3\\BCrgen'],
    ['canonically equivalent forms (NFC)', 'CN=J\u00FCrgen', 'CN=Ju\u0308rgen'],
    ['multi-valued RDN order', 'CN=a+UID=b,O=x', 'UID=b+CN=a,O=x'],
    ['semicolon separators', 'CN=a,O=b', 'CN=a;O=b'],
  ])('treats %s as equal', (_label, a, b) => {
    expect(normalizeDn(a)).toBe(normalizeDn(b));
  });

  it.each([
    ['different values', 'CN=alice,O=Example', 'CN=alicia,O=Example'],
    ['different RDN order', 'CN=a,O=b', 'O=b,CN=a'],
    ['an escaped comma vs a separator', 'CN=a\\,O=b', 'CN=a,O=b'],
    ['a plus inside a value vs a multi-valued RDN', 'CN=a\\+UID=b', 'CN=a+UID=b'],
    ['compatibility forms (no NFKC)', 'CN=\uFB01le', 'CN=file'],
    ['inner runs of spaces', 'CN=Alice  Smith', 'CN=Alice Smith'],
  ])('keeps %s apart', (_label, a, b) => {
    expect(normalizeDn(a)).not.toBe(normalizeDn(b));
  });

  it.each([
    ['CN = Alice  Smith, O=Example', 'CN=alice  smith,O=example'],
    ['CN=admin\\ ', 'CN=admin'],
    ['CN=admin\\\\', 'CN=admin\\\\'],
    ['cn=a\\,b', 'CN=a\\,b'],
    ['CN=#0403616263', 'CN=#0403616263'],
    ['', ''],
  ])('normalizes %j to %j', (input, expected) => {
    expect(normalizeDn(input)).toBe(expected);
  });

  it.each(['CN', 'CN=a,novalue', 'CN="unterminated', 'CN=a\\', 'CN=\\FF', 'ｃｎ=a', 'C N=a'])('rejects %j', (input) => {
    expect(() => normalizeDn(input)).toThrow(DnSyntaxError);
  });
});
