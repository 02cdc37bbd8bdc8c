import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueCertificate } from '@client-cert-auth/dev-pki';
import { parseCertificate } from '../certificate/certificate.parser';
import { resolveOptions } from './options.resolver';

const company = issueCertificate({ subject: 'CN=Company Root', ca: true });
const partner = issueCertificate({ subject: 'CN=Partner Root', ca: true });
const stranger = issueCertificate({ subject: 'CN=Stranger Root', ca: true });
const key = (c: typeof company) => parseCertificate(c.der).publicKey.sha256;

function resolve(trustDomains: unknown) {
  return resolveOptions({
    proxies: [{ name: 'waf', from: ['10.0.0.0/8'], format: 'rfc9440' }],
    trustAnchors: { pem: [company.pem, partner.pem] },
    spiffe: { trustDomains: trustDomains as never },
  }).spiffe;
}

describe('spiffe.trustDomains', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spiffe-options-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('maps domains to anchor keys given as PEM files or SPKI hashes', () => {
    writeFileSync(join(dir, 'company.pem'), company.pem);
    const policy = resolve({
      'company.example': { anchors: [join(dir, 'company.pem')] },
      'partner.example': { anchors: [`SHA256:${key(partner).toUpperCase()}`] },
    });
    expect(policy.trustDomains?.get('company.example')).toEqual(new Set([key(company)]));
    expect(policy.trustDomains?.get('partner.example')).toEqual(new Set([key(partner)]));
    expect(policy.anchorKeys).toEqual(new Set([key(company), key(partner)]));
  });

  it.each([
    ['a key that is not a trust anchor', () => ({ 'company.example': { anchors: [`sha256:${key(stranger)}`] } }), /not one of trustAnchors/],
    ['an upper-case domain', () => ({ 'Company.Example': { anchors: [`sha256:${key(company)}`] } }), /not a SPIFFE trust domain/],
    ['a domain with no anchors', () => ({ 'company.example': { anchors: [] } }), /is empty/],
    ['a missing file', () => ({ 'company.example': { anchors: ['/nonexistent/ca.pem'] } }), /cannot read/],
    ['a list instead of a map', () => ['company.example'], /is not an object/],
  ])('refuses %s at start-up', (_label, value, message) => {
    expect(() => resolve(value())).toThrow(message);
  });
});
