import { type CertificateSpec, issueCertificate } from '@client-cert-auth/dev-pki';
import { ClientCertError } from '../errors/client-cert.error';
import { parseCertificate } from './certificate.parser';
import { readSpiffeId, tryReadSpiffeId } from './spiffe-id';
import { intermediate, root } from './validation.spec-helper';

describe('readSpiffeId (X.509-SVID)', () => {
  const ca = intermediate(root());
  const svid = (extra: Partial<CertificateSpec>) => parseCertificate(issueCertificate({ subject: 'O=SPIRE', issuer: ca, ...extra }).der);

  it.each<[string, Partial<CertificateSpec>, string[] | undefined, string]>([
    ['a workload SVID', { san: { uri: ['spiffe://prod.example.org/ns/web/sa/api'] } }, undefined, 'spiffe://prod.example.org/ns/web/sa/api'],
    ['an SVID of a configured trust domain', { san: { uri: ['spiffe://prod.example.org/api'] } }, ['prod.example.org'], 'spiffe://prod.example.org/api'],
    ['an SVID with extra DNS SANs', { san: { uri: ['spiffe://td/x'], dns: ['x.example.org'] } }, undefined, 'spiffe://td/x'],
    ['a trust-domain-only ID', { san: { uri: ['spiffe://td'] } }, undefined, 'spiffe://td'],
  ])('accepts %s', (_name, spec, trustDomains, expected) => {
    expect(readSpiffeId(svid(spec), { trustDomains })).toBe(expected);
  });

  it.each<[string, Partial<CertificateSpec>, string[] | undefined]>([
    ['two URI SANs', { san: { uri: ['spiffe://td/a', 'spiffe://td/b'] } }, undefined],
    ['no URI SAN', { san: { dns: ['a.example.org'] } }, undefined],
    ['an https URI', { san: { uri: ['https://td/a'] } }, undefined],
    ['an upper-case trust domain', { san: { uri: ['spiffe://TD/a'] } }, undefined],
    ['a port in the trust domain', { san: { uri: ['spiffe://td:8443/a'] } }, undefined],
    ['a dot segment', { san: { uri: ['spiffe://td/a/../b'] } }, undefined],
    ['a trailing slash', { san: { uri: ['spiffe://td/a/'] } }, undefined],
    ['a query', { san: { uri: ['spiffe://td/a?x=1'] } }, undefined],
    ['a CA certificate', { san: { uri: ['spiffe://td/a'] }, ca: true }, undefined],
    ['keyCertSign', { san: { uri: ['spiffe://td/a'] }, keyUsage: ['digitalSignature', 'keyCertSign'] }, undefined],
    ['a trust domain not bound to the anchor', { san: { uri: ['spiffe://other.org/a'] } }, ['prod.example.org']],
  ])('rejects %s with CERT_POLICY', (_name, spec, trustDomains) => {
    const cert = svid(spec);
    expect(() => readSpiffeId(cert, { trustDomains })).toThrow(ClientCertError);
    try {
      readSpiffeId(cert, { trustDomains });
    } catch (error) {
      expect((error as ClientCertError).code).toBe('CERT_POLICY');
    }
  });

  it('tryReadSpiffeId returns undefined without a spiffe URI and validates when there is one', () => {
    expect(tryReadSpiffeId(svid({ san: { uri: ['https://a.example.org'] } }))).toBeUndefined();
    expect(tryReadSpiffeId(svid({ san: { uri: ['spiffe://td/a'] } }))).toBe('spiffe://td/a');
    expect(() => tryReadSpiffeId(svid({ san: { uri: ['spiffe://td/a', 'spiffe://td/b'] } }))).toThrow(ClientCertError);
  });

  it('refuses a URI as often as it is presented, with the same message (its syntax is checked once)', () => {
    const cert = svid({ san: { uri: ['spiffe://td/a/../b'] } });
    const messages = [1, 2, 3].map(() => {
      try {
        readSpiffeId(cert);
        return 'accepted';
      } catch (error) {
        return `${(error as ClientCertError).code} ${(error as ClientCertError).message} ${JSON.stringify((error as ClientCertError).details)}`;
      }
    });
    expect(new Set(messages).size).toBe(1);
    expect(messages[0]).toMatch(/^CERT_POLICY .*dot segment.*td\/a\/\.\.\/b/);
  });

  it('treats a SPIFFE URI in any case as an SVID to validate, not as "no SPIFFE ID"', () => {
    expect(() => tryReadSpiffeId(svid({ san: { uri: ['SPIFFE://td/a'] } }))).toThrow(ClientCertError);
  });
});
