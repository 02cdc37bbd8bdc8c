import { BindingValueError, normalizeBindingValue, normalizeIssuerScope, normalizeSerial } from './binding-value.normalizer';

const HASH = 'ab'.repeat(32);

describe('normalizeBindingValue', () => {
  it.each([
    ['fingerprint', HASH.toUpperCase().match(/../g)!.join(':'), HASH],
    ['spki', `sha256:${HASH}`, HASH],
    ['issuer-serial', 'CN=Issuing CA, O=Example|00:AB:CD', 'CN=issuing ca,O=example|abcd'],
    ['spiffe', ' spiffe://example.org/ns/Prod ', 'spiffe://example.org/ns/Prod'],
    ['san-uri', 'urn:Example:Client', 'urn:Example:Client'],
    ['san-dns', 'API.Example.COM.', 'api.example.com'],
    ['san-email', 'Ops.Team@EXAMPLE.com', 'Ops.Team@example.com'],
    ['subject', 'CN=Orders Client , O=Example', 'CN=orders client,O=example'],
  ] as const)('normalizes a %s value', (kind, raw, expected) => {
    expect(normalizeBindingValue(kind, raw)).toBe(expected);
  });

  it.each([
    ['fingerprint', 'abc'],
    ['spki', 'zz'.repeat(32)],
    ['issuer-serial', 'CN=x'],
    ['issuer-serial', 'CN=x|not-hex'],
    ['san-uri', '  '],
    ['nope', 'x'],
  ])('rejects a %s value %j', (kind, raw) => {
    expect(() => normalizeBindingValue(kind as never, raw)).toThrow(BindingValueError);
  });
});

describe('normalizeSerial / normalizeIssuerScope', () => {
  it.each([
    ['00ff', 'ff'],
    ['0x0A:0B', 'a0b'],
    ['0', '0'],
    ['000', '0'],
  ])('serial %j -> %j', (raw, expected) => expect(normalizeSerial(raw)).toBe(expected));

  it.each([
    [undefined, ''],
    ['  ', ''],
    ['CN=Partner CA', 'CN=partner ca'],
    [`SHA256:${HASH.toUpperCase()}`, `sha256:${HASH}`],
  ])('scope %j -> %j', (raw, expected) => expect(normalizeIssuerScope(raw)).toBe(expected));
});
