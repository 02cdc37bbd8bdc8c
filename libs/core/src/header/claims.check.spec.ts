import { parseCertificate } from '../certificate/certificate.parser';
import { assertClaimsMatch } from './claims.check';
import type { ForwardedCertificate } from './forwarded-certificate';
import { forwardedPki, sha256Hex } from './testing/forwarded-pki.spec-helper';

const { leaf, hostile } = forwardedPki();
const parsed = parseCertificate(leaf.der);
const withClaims = (claims: ForwardedCertificate['claims']): ForwardedCertificate => ({ leaf: leaf.der, chain: [], claims });

describe('assertClaimsMatch', () => {
  it.each<[string, ForwardedCertificate['claims']]>([
    ['no claims', undefined],
    ['matching sha256', { sha256: sha256Hex(leaf.der) }],
    ['matching sha256 in upper case', { sha256: sha256Hex(leaf.der).toUpperCase() }],
    ['matching serial', { serialNumber: leaf.serialNumber }],
    ['matching serial with leading zeros', { serialNumber: `00${leaf.serialNumber}` }],
    ['both matching', { sha256: sha256Hex(leaf.der), serialNumber: leaf.serialNumber }],
    ['the DNS SANs, in order', { dns: ['alice.example'] }],
    ['no URI SANs for a certificate without any', { uri: [] }],
  ])('accepts %s', (_n, claims) => {
    expect(() => assertClaimsMatch(withClaims(claims), parsed)).not.toThrow();
  });

  it.each<[string, ForwardedCertificate['claims']]>([
    ['another certificate’s sha256', { sha256: sha256Hex(hostile.der) }],
    ['another certificate’s serial', { serialNumber: hostile.serialNumber }],
    ['a matching sha256 with a wrong serial', { sha256: sha256Hex(leaf.der), serialNumber: '01' }],
    ['a DNS list with one name more (a SAN that faked ";DNS=")', { dns: ['alice.example', 'admin.example'] }],
    ['a DNS list cut short', { dns: [] }],
    ['a URI the certificate does not hold', { uri: ['spiffe://example/admin'] }],
  ])('refuses %s with HEADER_MALFORMED', (_n, claims) => {
    expect(() => assertClaimsMatch(withClaims(claims), parsed)).toThrow(expect.objectContaining({ code: 'HEADER_MALFORMED' }));
  });
});
