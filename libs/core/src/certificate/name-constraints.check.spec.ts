import { type CertificateSpec, issueCertificate } from '@client-cert-auth/dev-pki';
import { checkNameConstraints } from './name-constraints.check';
import { intermediate, parse, root } from './validation.spec-helper';

/** Name constraints applied to a parsed path, leaf first (the validator's order). */
function verdict(nc: CertificateSpec['nameConstraints'], leafSpec: Partial<CertificateSpec>, between: 'none' | 'self-issued' | 'subordinate' = 'none'): string {
  const r = root();
  const ca = intermediate(r, 'Constrained CA', 'p-256', { nameConstraints: nc });
  const chain = [parse(ca), parse(r)];
  let issuer = ca;
  if (between !== 'none') {
    // A self-issued (key-rollover) certificate of the constrained CA is exempt from its constraints;
    // a subordinate CA with another subject is not.
    const subject = between === 'self-issued' ? 'CN=Constrained CA,O=Test' : 'CN=Sub CA,O=Test';
    issuer = issueCertificate({ subject, issuer: ca, ca: true, san: { dns: ['outside.example.org'] } });
    chain.unshift(parse(issuer));
  }
  const leaf = issueCertificate({ subject: 'CN=client,O=Test', issuer, ...leafSpec });
  const result = checkNameConstraints([parse(leaf), ...chain], { remaining: 10_000 });
  return result ? result.code : 'ok';
}

describe('checkNameConstraints', () => {
  it.each<[string, CertificateSpec['nameConstraints'], Partial<CertificateSpec>, string]>([
    ['wildcard SAN inside a permitted domain -> ok', { permitted: { dns: ['foo.com'] } }, { san: { dns: ['*.foo.com'] } }, 'ok'],
    ['wildcard SAN wider than a permitted host -> CERT_POLICY', { permitted: { dns: ['a.foo.com'] } }, { san: { dns: ['*.foo.com'] } }, 'CERT_POLICY'],
    ['wildcard SAN that could match an excluded host -> CERT_POLICY', { excluded: { dns: ['bar.foo.com'] } }, { san: { dns: ['*.foo.com'] } }, 'CERT_POLICY'],
    ['wildcard SAN beside an excluded host -> ok', { excluded: { dns: ['bar.other.com'] } }, { san: { dns: ['*.foo.com'] } }, 'ok'],
    [
      'DNS constraint is label-aligned (not a suffix match) -> CERT_POLICY',
      { permitted: { dns: ['example.com'] } },
      { san: { dns: ['badexample.com'] } },
      'CERT_POLICY',
    ],
    ['DNS constraint matches case-insensitively -> ok', { permitted: { dns: ['Example.COM'] } }, { san: { dns: ['a.example.com'] } }, 'ok'],
    ['malformed DNS SAN under a DNS constraint -> CERT_POLICY', { permitted: { dns: ['example.com'] } }, { san: { dns: ['a_b.example.com'] } }, 'CERT_POLICY'],
    ['email mailbox constraint, same mailbox -> ok', { permitted: { email: ['alice@example.com'] } }, { san: { email: ['alice@example.com'] } }, 'ok'],
    [
      'email mailbox constraint, other local part -> CERT_POLICY',
      { permitted: { email: ['alice@example.com'] } },
      { san: { email: ['bob@example.com'] } },
      'CERT_POLICY',
    ],
    ['email subdomain constraint -> ok', { permitted: { email: ['.example.com'] } }, { san: { email: ['a@mail.example.com'] } }, 'ok'],
    [
      'email subdomain constraint excludes the apex -> CERT_POLICY',
      { permitted: { email: ['.example.com'] } },
      { san: { email: ['a@example.com'] } },
      'CERT_POLICY',
    ],
    [
      'subject emailAddress is checked as an email name -> CERT_POLICY',
      { permitted: { email: ['example.com'] } },
      { subject: 'CN=client,emailAddress=a@example.org' },
      'CERT_POLICY',
    ],
    ['URI without a host under a URI constraint -> CERT_POLICY', { permitted: { uri: ['example.com'] } }, { san: { uri: ['urn:uuid:1234'] } }, 'CERT_POLICY'],
    ['types without constraints are unconstrained -> ok', { permitted: { dns: ['example.com'] } }, { san: { email: ['a@anything.org'] } }, 'ok'],
    ['excluded directoryName prefix -> CERT_POLICY', { excluded: { directoryName: ['O=Test'] } }, {}, 'CERT_POLICY'],
  ])('%s', (_name, nc, leafSpec, expected) => {
    expect(verdict(nc, leafSpec)).toBe(expected);
  });

  it.each<['self-issued' | 'subordinate', string]>([
    ['self-issued', 'ok'],
    ['subordinate', 'CERT_POLICY'],
  ])('an intermediate with a SAN outside the constraints, %s -> %s', (between, expected) => {
    expect(verdict({ permitted: { dns: ['example.com'] } }, { san: { dns: ['a.example.com'] } }, between)).toBe(expected);
  });

  it('stops with CERT_POLICY when the comparison budget runs out', () => {
    const r = root();
    const many = Array.from({ length: 200 }, (_, n) => `n${n}.example.com`);
    const ca = intermediate(r, 'Busy CA', 'p-256', { nameConstraints: { excluded: { dns: many } } });
    const leaf = issueCertificate({ subject: 'CN=client', issuer: ca, san: { dns: Array.from({ length: 200 }, (_, n) => `m${n}.example.org`) } });
    expect(checkNameConstraints([parse(leaf), parse(ca), parse(r)], { remaining: 1000 })?.reason).toMatch(/work budget/);
  });
});
