import { issueCertificate } from '@client-cert-auth/dev-pki';
import { parseCertificate } from '../certificate/certificate.parser';
import type { ParsedCertificate } from '../certificate/parsed-certificate';
import { clearedParseSpy } from './parser-spy.spec-helper';
import { CompactCertificate, compactPath } from './compact-certificate';

// The parser module, with a spy on parseCertificate (see parser-spy.spec-helper.ts).
jest.mock('../certificate/certificate.parser', () => {
  const actual = jest.requireActual('../certificate/certificate.parser');
  return { ...actual, parseCertificate: jest.fn(actual.parseCertificate) };
});

const root = issueCertificate({ subject: 'CN=Compact Root,O=Test', key: 'p-256', ca: true });
const issuing = issueCertificate({ subject: 'CN=Compact Issuing,O=Test', issuer: root, key: 'p-256', ca: true });
const leafDer = issueCertificate({
  subject: 'CN=client,O=Test',
  issuer: issuing,
  san: { dns: ['client.example.com'], uri: ['spiffe://test.local/client'] },
  crlDistributionPoints: ['http://crl.test/issuing.crl'],
  ocspUrls: ['http://ocsp.test'],
}).der;

const FIELDS: Array<keyof ParsedCertificate> = [
  'der',
  'fingerprintSha256',
  'version',
  'serialNumber',
  'signatureAlgorithm',
  'tbsDer',
  'signature',
  'issuer',
  'subject',
  'notBefore',
  'notAfter',
  'publicKey',
  'extensions',
  'basicConstraints',
  'keyUsage',
  'extendedKeyUsage',
  'subjectAltNames',
  'subjectKeyIdentifier',
  'authorityKeyIdentifier',
  'authorityKeyIdentifierHasIssuerSerial',
  'nameConstraints',
  'policyExtensions',
  'crlDistributionPoints',
  'ocspUrls',
  'caIssuerUrls',
  'selfIssued',
];

describe('CompactCertificate', () => {
  const full = parseCertificate(leafDer);

  it.each(FIELDS)('reads %s as the full decode does', (field) => {
    const compact = new CompactCertificate(parseCertificate(leafDer));
    const value = compact[field] as unknown;
    const expected = full[field] as unknown;
    if (field === 'publicKey') {
      expect({ ...(value as object), sha256: compact.publicKey.sha256 }).toEqual({ ...(expected as object), sha256: full.publicKey.sha256 });
    } else {
      expect(value).toEqual(expected);
    }
  });

  it('reads what a warm request needs without decoding again', () => {
    const spy = clearedParseSpy();
    const compact = new CompactCertificate(full);
    void [
      compact.der,
      compact.fingerprintSha256,
      compact.serialNumber,
      compact.issuer.der,
      compact.crlDistributionPoints,
      compact.ocspUrls,
      compact.basicConstraints,
      compact.notAfter,
    ];
    expect(spy).not.toHaveBeenCalled();
    void compact.subject;
    void compact.extensions;
    expect(spy).toHaveBeenCalledTimes(1);
  });
});

describe('compactPath', () => {
  const intermediate = parseCertificate(issuing.der);
  const anchor = parseCertificate(root.der);

  it('slims only the certificates decoded for this request and shares the issuer Name', () => {
    const leaf = parseCertificate(leafDer);
    const path = compactPath([leaf, intermediate, anchor], [leaf]);
    expect(path[0]).toBeInstanceOf(CompactCertificate);
    expect(path[1]).toBe(intermediate);
    expect(path[2]).toBe(anchor);
    expect(path[0].issuer).toBe(intermediate.subject);
  });

  it('keeps the leaf its own issuer Name when the encodings differ', () => {
    const leaf = parseCertificate(leafDer);
    const other = { ...intermediate, subject: { ...intermediate.subject, der: Buffer.from('30020500', 'hex') } };
    expect(compactPath([leaf, other, anchor], [leaf])[0].issuer).toBe(leaf.issuer);
  });
});

describe('CompactCertificate bytes', () => {
  it('keeps no DER in its unbound copy, and decodes from the bytes a bound copy is given', () => {
    const compact = new CompactCertificate(parseCertificate(leafDer));
    const kept = compact.unbound();
    expect(kept.derLength).toBe(leafDer.length);
    expect(kept.fingerprintSha256).toBe(compact.fingerprintSha256);
    expect(kept.subjectAltNames.dns).toEqual(['client.example.com']);
    expect(() => kept.der).toThrow(/unbound/);
    const bytes = Buffer.from(leafDer);
    const bound = kept.boundTo(bytes);
    expect(bound.der).toBe(bytes);
    expect(bound.subject.rfc4514).toBe('CN=client,O=Test');
    expect(bound.forwardedIndex).toBe(0);
  });

  it('remembers where the request carried each slimmed certificate', () => {
    const leaf = parseCertificate(leafDer);
    const forwarded = parseCertificate(issuing.der);
    const anchor = parseCertificate(root.der);
    const path = compactPath([leaf, forwarded, anchor], [leaf, forwarded]) as CompactCertificate[];
    expect(path.slice(0, 2).map((c) => c.forwardedIndex)).toEqual([0, 1]);
    expect(path[2]).toBe(anchor);
  });
});
