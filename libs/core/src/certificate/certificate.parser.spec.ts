import { createHash } from 'node:crypto';
import * as fc from 'fast-check';
import { issueCertificate } from '@client-cert-auth/dev-pki';
import { ClientCertError } from '../errors/client-cert.error';
import { MAX_CERTIFICATE_BYTES, parseCertificate } from './certificate.parser';
import { intermediate, leaf, root } from './validation.spec-helper';

function malformedCode(input: Buffer): string {
  try {
    parseCertificate(input);
    return 'parsed';
  } catch (error) {
    return error instanceof ClientCertError ? error.code : `foreign ${(error as Error).name}`;
  }
}

describe('parseCertificate', () => {
  const r = root();
  const i = intermediate(r);
  const l = leaf(i, {
    subject: 'CN=Alice \\+ Bob\\, Jr.,OU=R&D,O=Example  Corp,C=DE',
    san: {
      dns: ['a.example.com'],
      uri: ['spiffe://example.org/ns/a'],
      email: ['alice@example.com'],
      ip: ['192.0.2.7', '2001:db8:0:0:0:0:0:1'],
      upn: ['alice@corp.example'],
    },
    crlDistributionPoints: ['http://crl.example.com/ca.crl'],
    ocspUrls: ['http://ocsp.example.com'],
  });
  const cert = parseCertificate(l.der);

  it.each<[string, (c: typeof cert) => unknown, unknown]>([
    ['version', (c) => c.version, 3],
    ['serial number (hex as encoded)', (c) => c.serialNumber.replace(/^00/, ''), l.serialNumber.replace(/^00/, '')],
    ['fingerprint', (c) => c.fingerprintSha256, createHash('sha256').update(l.der).digest('hex')],
    ['subject RFC 4514, most specific first, escaped', (c) => c.subject.rfc4514, 'CN=Alice \\+ Bob\\, Jr.,OU=R&D,O=Example  Corp,C=DE'],
    ['subject RDNs in DER order', (c) => c.subject.rdns.map((rdn) => rdn[0].name), ['C', 'O', 'OU', 'CN']],
    ['issuer', (c) => c.issuer.rfc4514, 'CN=Issuing CA,O=Test'],
    ['DNS SAN', (c) => c.subjectAltNames.dns, ['a.example.com']],
    ['URI SAN', (c) => c.subjectAltNames.uri, ['spiffe://example.org/ns/a']],
    ['email SAN', (c) => c.subjectAltNames.email, ['alice@example.com']],
    ['IP SANs (IPv6 compressed)', (c) => c.subjectAltNames.ip, ['192.0.2.7', '2001:db8::1']],
    ['UPN SAN', (c) => c.subjectAltNames.upn, ['alice@corp.example']],
    ['public key', (c) => [c.publicKey.algorithm, c.publicKey.curve, c.publicKey.bits], ['ec', 'P-256', 256]],
    [
      'SPKI pin',
      (c) => c.publicKey.sha256,
      createHash('sha256')
        .update(l.publicKey.export({ type: 'spki', format: 'der' }))
        .digest('hex'),
    ],
    ['key usage', (c) => [...(c.keyUsage ?? [])], ['digitalSignature']],
    ['EKU', (c) => c.extendedKeyUsage, ['1.3.6.1.5.5.7.3.2']],
    ['CRL distribution points', (c) => c.crlDistributionPoints, ['http://crl.example.com/ca.crl']],
    ['OCSP URLs', (c) => c.ocspUrls, ['http://ocsp.example.com']],
    ['AKI matches the issuer SKI', (c) => c.authorityKeyIdentifier, parseCertificate(i.der).subjectKeyIdentifier],
    ['signature algorithm', (c) => c.signatureAlgorithm.name, 'ecdsa-with-SHA256'],
    ['not self-issued', (c) => c.selfIssued, false],
  ])('reads the %s', (_name, read, expected) => {
    expect(read(cert)).toEqual(expected);
  });

  it('gives equal names the same normalized key regardless of case and spacing', () => {
    const a = parseCertificate(issueCertificate({ subject: 'CN=Alice  Smith,O=Example' }).der);
    const b = parseCertificate(issueCertificate({ subject: 'CN=alice smith,O=EXAMPLE' }).der);
    const c = parseCertificate(issueCertificate({ subject: 'CN=alice smith,O=Other' }).der);
    expect(a.subject.normalized).toBe(b.subject.normalized);
    expect(a.subject.normalized).not.toBe(c.subject.normalized);
  });

  it('reads RSA, RSA-PSS and Ed25519 keys', () => {
    expect(parseCertificate(issueCertificate({ subject: 'CN=r', key: 'rsa-2048' }).der).publicKey).toMatchObject({ algorithm: 'rsa', bits: 2048 });
    expect(parseCertificate(issueCertificate({ subject: 'CN=p', key: 'rsa-pss-2048' }).der).signatureAlgorithm.name).toBe('RSASSA-PSS');
    expect(parseCertificate(issueCertificate({ subject: 'CN=e', key: 'ed25519' }).der).publicKey.algorithm).toBe('ed25519');
  });

  const der = l.der;
  it.each<[string, Buffer]>([
    ['empty input', Buffer.alloc(0)],
    ['a truncated certificate', der.subarray(0, der.length - 10)],
    ['trailing bytes', Buffer.concat([der, Buffer.from([0])])],
    ['an indefinite length', Buffer.concat([Buffer.from([0x30, 0x80]), der.subarray(4), Buffer.from([0, 0])])],
    ['a non-minimal length', Buffer.concat([Buffer.from([0x30, 0x83, 0x00]), der.subarray(2)])],
    ['garbage', Buffer.from('not a certificate at all')],
    ['a certificate over 64 KB', Buffer.alloc(MAX_CERTIFICATE_BYTES + 1, 0x30)],
    ['a PEM text instead of DER', Buffer.from(l.pem)],
  ])('rejects %s with CERT_MALFORMED', (_name, input) => {
    expect(malformedCode(input)).toBe('CERT_MALFORMED');
  });

  it('rejects a duplicated extension', () => {
    const dup = issueCertificate({ subject: 'CN=d', extraExtensions: [{ oid: '2.5.29.14', critical: false, value: Buffer.from([4, 1, 1]) }] });
    expect(malformedCode(dup.der)).toBe('CERT_MALFORMED');
  });

  it('parses the same bytes to the same fingerprint', () => {
    expect(parseCertificate(der).fingerprintSha256).toBe(parseCertificate(Buffer.from(der)).fingerprintSha256);
  });

  it('never throws anything but CERT_MALFORMED on mutated input', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: der.length - 1 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 40 }), (at, byte, cut) => {
        const mutated = Buffer.from(der);
        mutated[at] = byte;
        const input = cut > 30 ? mutated.subarray(0, mutated.length - cut) : mutated;
        expect(['parsed', 'CERT_MALFORMED']).toContain(malformedCode(input));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseCertificate (shared and lazy parts)', () => {
  const r = root();
  const i = intermediate(r);
  const ca = parseCertificate(i.der);
  const [a, b] = [leaf(i, { subject: 'CN=a' }), leaf(i, { subject: 'CN=b' })].map((issued) => parseCertificate(issued.der));

  it('shares one decoded issuer Name between leaves of one CA, equal to the CA subject', () => {
    expect(a.issuer).toBe(b.issuer);
    expect([a.issuer.rfc4514, a.issuer.normalized, a.issuer.der]).toEqual([ca.subject.rfc4514, ca.subject.normalized, ca.subject.der]);
  });

  it('shares one decoded subject Name between certificates of one client from its second on, over bytes of its own', () => {
    const [first, second, third] = [1, 2, 3].map(() => parseCertificate(leaf(i, { subject: 'CN=renewing,O=Clients' }).der));
    expect(new Set([first, second, third].map((c) => c.fingerprintSha256)).size).toBe(3);
    // Seen once: decoded for that certificate alone, not kept (a fleet of distinct clients keeps nothing).
    expect(second.subject).not.toBe(first.subject);
    expect(third.subject).toBe(second.subject);
    expect(third.subject).not.toBe(a.subject);
    expect([first.subject.rfc4514, third.subject.rfc4514, b.subject.rfc4514]).toEqual(['CN=renewing,O=Clients', 'CN=renewing,O=Clients', 'CN=b']);
    expect(first.subject.normalized).toBe(third.subject.normalized);
    // A copy: the shared Name does not keep the certificate's DER alive.
    const { der } = second.subject;
    const overlaps =
      der.buffer === second.der.buffer && der.byteOffset < second.der.byteOffset + second.der.length && second.der.byteOffset < der.byteOffset + der.length;
    expect(overlaps).toBe(false);
  });

  it("shares Names by their encoding whatever the role: a CA subject and its leaves' issuer", () => {
    expect(parseCertificate(i.der).subject).toBe(a.issuer);
  });

  it('derives the fingerprint, SPKI hash and key on first read, the same on every read', () => {
    expect(a.fingerprintSha256).toBe(createHash('sha256').update(a.der).digest('hex'));
    expect(a.publicKey.sha256).toBe(createHash('sha256').update(a.publicKey.der).digest('hex'));
    expect(a.publicKey.key?.asymmetricKeyType).toBe('ec');
    expect(a.publicKey.key).toBe(a.publicKey.key);
  });

  it('keeps the extension values as the extnValue bytes', () => {
    const ski = a.extensions.find((e) => e.oid === '2.5.29.14')!;
    expect(ski.value.subarray(2).toString('hex')).toBe(a.subjectKeyIdentifier);
  });
});
