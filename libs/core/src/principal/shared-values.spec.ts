import { issueCertificate } from '@client-cert-auth/dev-pki';
import { parseCertificate } from '../certificate/certificate.parser';
import { createPrincipal } from './principal.factory';
import { SharedValues } from './shared-values';

describe('SharedValues', () => {
  it('hands out one copy of equal strings and equal JSON values', () => {
    const shared = new SharedValues(10, 1000);
    const text = shared.string(['CN=alice', 'O=Example'].join(','));
    expect(shared.string(['CN=alice', 'O=Example'].join(','))).toBe(text);
    const names = shared.strings(['a.example', 'b.example']);
    expect(shared.strings(['a.example', 'b.example'])).toBe(names);
    expect(names).toEqual(['a.example', 'b.example']);
    expect(shared.strings(['a.exampleb.example'])).not.toBe(names);
    expect(shared.strings([])).toBe(shared.strings([]));
    const attributes = [{ oid: '2.5.4.3', name: 'CN', value: 'alice' }];
    expect(shared.attributes([{ ...attributes[0] }])).toBe(shared.attributes(attributes));
    expect(shared.attributes([{ ...attributes[0], value: 'alice ' }])).not.toBe(shared.attributes(attributes));
  });

  it('keeps values exact, lone surrogates included, and deeply frozen', () => {
    const shared = new SharedValues(10, 1000);
    const odd = 'x\ud800y\u0000é';
    expect(shared.string(odd)).toBe(odd);
    const value = shared.attributes([{ oid: '2.5.4.3', name: 'CN', value: odd }]);
    expect(value[0].value).toBe(odd);
    expect(Object.isFrozen(value)).toBe(true);
    expect(Object.isFrozen(value[0])).toBe(true);
  });

  it('is bounded by entries: cleared when full, so new values still come back equal', () => {
    const shared = new SharedValues(3, 1000);
    const first = shared.string('value-0'.padEnd(20, '.'));
    for (let n = 1; n < 3; n++) shared.string(`value-${n}`);
    expect(shared.size).toBe(3);
    shared.string('value-3');
    expect(shared.size).toBe(1);
    const again = shared.string('value-0'.padEnd(20, '.'));
    expect(again).toBe(first); // equal, from a fresh copy
    expect(shared.size).toBe(2);
  });

  it('is bounded by characters, and does not keep a value larger than its whole budget', () => {
    const shared = new SharedValues(100, 50);
    shared.string('a'.repeat(30));
    expect(shared.size).toBe(1);
    shared.string('b'.repeat(30)); // 60 > 50: cleared first
    expect(shared.size).toBe(1);
    expect(shared.string('c'.repeat(60))).toBe('c'.repeat(60));
    expect(shared.size).toBe(1);
  });
});

describe('createPrincipal shares the parts that repeat across certificates', () => {
  const root = issueCertificate({ subject: 'CN=Shared Root,O=Test', key: 'p-256', ca: true });
  const anchor = parseCertificate(root.der);
  const leaf = () =>
    parseCertificate(
      issueCertificate({
        subject: 'CN=rotating client,O=Example Clients',
        issuer: root,
        key: 'p-256',
        san: { dns: ['rotating.client.example'], uri: ['spiffe://test.local/rotating'] },
      }).der,
    );
  const delivery = { profile: 'waf', format: 'rfc9440' };

  it('gives two certificates of one client the same names and SANs, their own serial and fingerprint', () => {
    const a = createPrincipal([leaf(), anchor], delivery);
    const b = createPrincipal([leaf(), anchor], delivery);
    expect(b.fingerprintSha256).not.toBe(a.fingerprintSha256);
    expect(b.serialNumber).not.toBe(a.serialNumber);
    expect(b.subject).toBe('CN=rotating client,O=Example Clients');
    expect(b.subjectAttributes).toBe(a.subjectAttributes);
    expect(b.issuerAttributes).toBe(a.issuerAttributes);
    expect(b.san.dns).toBe(a.san.dns);
    expect(b.san.uri).toBe(a.san.uri);
    expect(b.spiffeId).toBe('spiffe://test.local/rotating');
    // Attributes in DER order (the RFC 4514 string is most specific first).
    expect(b.subjectAttributes).toEqual([
      { oid: '2.5.4.10', name: 'O', value: 'Example Clients' },
      { oid: '2.5.4.3', name: 'CN', value: 'rotating client' },
    ]);
  });

  it('freezes every shared part', () => {
    const principal = createPrincipal([leaf(), anchor], delivery);
    expect(Object.isFrozen(principal)).toBe(true);
    expect(Object.isFrozen(principal.san)).toBe(true);
    expect(Object.isFrozen(principal.san.dns)).toBe(true);
    expect(Object.isFrozen(principal.subjectAttributes)).toBe(true);
    expect(Object.isFrozen(principal.subjectAttributes[0])).toBe(true);
  });
});
