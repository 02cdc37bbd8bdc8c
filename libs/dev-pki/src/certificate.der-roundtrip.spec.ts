import { AsnConvert } from '@peculiar/asn1-schema';
import * as x509 from '@peculiar/asn1-x509';
import { Certificate } from '@peculiar/asn1-x509';
import { issueCertificate } from './certificate.issuer';
import type { CertificateSpec, KeySpec } from './certificate.types';

/**
 * An independent ASN.1 stack (@peculiar/asn1-x509) parses every certificate and re-encodes it to the
 * same bytes: our hand-built DER is canonical, not just "accepted by a lenient parser".
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const EXTENSION_TYPES: Record<string, new () => any> = {
  [x509.id_ce_basicConstraints]: x509.BasicConstraints,
  [x509.id_ce_keyUsage]: x509.KeyUsage,
  [x509.id_ce_extKeyUsage]: x509.ExtendedKeyUsage,
  [x509.id_ce_subjectAltName]: x509.SubjectAlternativeName,
  [x509.id_ce_nameConstraints]: x509.NameConstraints,
  [x509.id_ce_subjectKeyIdentifier]: x509.SubjectKeyIdentifier,
  [x509.id_ce_authorityKeyIdentifier]: x509.AuthorityKeyIdentifier,
  [x509.id_ce_cRLDistributionPoints]: x509.CRLDistributionPoints,
  [x509.id_pe_authorityInfoAccess]: x509.AuthorityInfoAccessSyntax,
};

describe('DER round-trip through @peculiar/asn1-x509', () => {
  const ca = issueCertificate({ subject: 'CN=Root,O=Test,C=DE', ca: { pathLen: 3 } });
  const full: Partial<CertificateSpec> = {
    issuer: ca,
    san: { dns: ['a.test'], email: ['a@test'], uri: ['https://a.test'], ip: ['10.0.0.1', '::1'], upn: ['a@corp'] },
    nameConstraints: { permitted: { dns: ['.test'], ip: ['10.0.0.0/8'], directoryName: ['O=Test'] }, excluded: { email: ['bad.test'] } },
    crlDistributionPoints: ['http://crl.test/a.crl', 'ldap://crl.test/b'],
    ocspUrls: ['http://ocsp.test'],
    caIssuersUrls: ['http://ca.test/ca.cer'],
    keyUsage: ['digitalSignature', 'keyEncipherment', 'decipherOnly'],
    extendedKeyUsage: ['clientAuth', 'serverAuth', 'any'],
    extraExtensions: [{ oid: '1.2.3.4.5', critical: true, value: Buffer.from([0x05, 0x00]) }],
    notAfter: new Date('2051-01-01T00:00:00Z'),
    serialNumber: 'ff00',
  };

  it.each<[string, KeySpec, Partial<CertificateSpec>]>([
    ['self-signed p-256', 'p-256', {}],
    ['every extension, p-384 key under a p-256 CA', 'p-384', full],
    ['rsa-pss leaf', 'rsa-pss-2048', { issuer: ca }],
    ['ed25519 leaf, multi-valued RDN', 'ed25519', { issuer: ca, subject: 'CN=x+UID=y,O=Test' }],
    ['v1', 'p-256', { version: 1 }],
  ])('%s', (_name, key, spec) => {
    const { der } = issueCertificate({ subject: 'CN=leaf,O=Test', key, ...spec });
    const parsed = AsnConvert.parse(der, Certificate);
    expect(Buffer.from(AsnConvert.serialize(parsed)).toString('hex')).toBe(der.toString('hex'));
    // extnValue is opaque to the outer parse: check each known extension body the same way.
    for (const ext of parsed.tbsCertificate.extensions ?? []) {
      const type = EXTENSION_TYPES[ext.extnID];
      if (!type) continue;
      const body = Buffer.from(ext.extnValue.buffer);
      expect([ext.extnID, Buffer.from(AsnConvert.serialize(AsnConvert.parse(body, type))).toString('hex')]).toEqual([ext.extnID, body.toString('hex')]);
    }
  });
});
