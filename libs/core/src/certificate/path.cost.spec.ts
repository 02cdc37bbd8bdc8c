import { type IssuedCertificate, issueCertificate } from '@client-cert-auth/dev-pki';
import { CertificatePathValidator } from './path.validator';
import type { PathValidationResult } from './path-validation.types';
import { hugeExponentKeyPair, intermediate, leaf, parse, root } from './validation.spec-helper';

/**
 * Hostile chains must cost little: a key outside the key policy is refused before it verifies
 * anything, and path building stops at a budget weighted by what each verification costs
 * (issue 13, finding 2). Times are wall clock of one validate() call; the figures these chains
 * cost before the fix are in the comments.
 */
function timed(run: () => PathValidationResult): { result: PathValidationResult; ms: number } {
  const started = performance.now();
  const result = run();
  return { result, ms: performance.now() - started };
}

const verdict = (result: PathValidationResult) => (result.ok ? 'ok' : `${result.code}: ${result.reason}`);

describe('CertificatePathValidator: the cost of hostile chains', () => {
  const anchor = root('Cost Root', 'rsa-3072');
  const issuing = intermediate(anchor, 'Cost Issuing CA', 'rsa-3072');
  const validator = new CertificatePathValidator({ anchors: [parse(anchor)] });

  /** A CA that copies the genuine issuing CA's name (and, through the AKI of its leaf, is a candidate for it). */
  function hostileCa(key = hugeExponentKeyPair()): IssuedCertificate {
    return issueCertificate({ subject: 'CN=Cost Issuing CA,O=Test', issuer: anchor, key, ca: true });
  }

  it('refuses a CA key with a 3,070-bit RSA public exponent without verifying anything with it', () => {
    // One key shared by nine copies: all nine are candidates for the leaf's AKI. Before the fix
    // each copy cost one ~10 ms verification (about 100 ms in all).
    const key = hugeExponentKeyPair();
    const copies = Array.from({ length: 9 }, () => hostileCa(key));
    const forged = leaf(copies[0]);
    const chain = copies.map(parse);
    const end = parse(forged);
    validator.validate(parse(leaf(issuing)), [parse(issuing)]); // warm up code paths, not these keys
    const { result, ms } = timed(() => validator.validate(end, chain));
    expect(verdict(result)).toMatch(/^CERT_POLICY: .*public exponent/);
    expect(ms).toBeLessThan(20);
  });

  it('refuses a leaf whose own key has a huge public exponent (CERT_POLICY)', () => {
    const end = issueCertificate({ subject: 'CN=client-1,O=Test', issuer: issuing, key: hugeExponentKeyPair(), san: { dns: ['client-1.example.com'] } });
    expect(verdict(validator.validate(parse(end), [parse(issuing)]))).toMatch(/^CERT_POLICY: leaf .*public exponent/);
  });

  it('validates a genuine client that appended nine junk RSA-3072 CAs, in bounded time', () => {
    // The junk copies the issuing CA's name and SKI, so name and AKI matching cannot prune it.
    const ski = parse(issuing).subjectKeyIdentifier!;
    const junk = Array.from({ length: 9 }, () =>
      issueCertificate({
        subject: 'CN=Cost Issuing CA,O=Test',
        issuer: anchor,
        key: hugeExponentKeyPair(),
        ca: true,
        omitExtensions: ['subjectKeyIdentifier'],
        extraExtensions: [{ oid: '2.5.29.14', critical: false, value: Buffer.concat([Buffer.from([0x04, ski.length / 2]), Buffer.from(ski, 'hex')]) }],
      }),
    );
    const genuine = parse(leaf(issuing));
    const chain = [...junk.map(parse), parse(issuing)];
    const { result, ms } = timed(() => validator.validate(genuine, chain));
    expect(verdict(result)).toBe('ok');
    expect(ms).toBeLessThan(20);
  });

  it('stops a cross-signed maze of expensive keys at its cost budget', () => {
    // Ten P-521 CAs with one name, each signed by the next, no AKI to prune by: every pair is
    // a candidate. Before the fix this ran the full 64 signature checks (~1-2 ms each on P-521).
    const mazeRoot = root('Maze Anchor', 'p-521');
    const maze: IssuedCertificate[] = [];
    let issuer = issueCertificate({ subject: 'CN=Maze,O=Test', issuer: mazeRoot, key: 'p-521', ca: true, omitExtensions: ['authorityKeyIdentifier'] });
    maze.push(issuer);
    for (let n = 1; n < 10; n++) {
      issuer = issueCertificate({ subject: 'CN=Maze,O=Test', issuer, key: 'p-521', ca: true, omitExtensions: ['authorityKeyIdentifier'] });
      maze.push(issuer);
    }
    const unrelated = new CertificatePathValidator({ anchors: [parse(root('Other Anchor', 'p-521'))] });
    const end = parse(
      issueCertificate({
        subject: 'CN=client-1,O=Test',
        issuer,
        key: 'p-521',
        san: { dns: ['client-1.example.com'] },
        omitExtensions: ['authorityKeyIdentifier'],
      }),
    );
    const { result, ms } = timed(() => unrelated.validate(end, maze.map(parse)));
    expect(verdict(result)).toMatch(/^CERT_UNTRUSTED/);
    expect(ms).toBeLessThan(40);
  });

  it('still validates a genuine path through the same maze when the anchor is configured', () => {
    const mazeRoot = root('Maze Root 2', 'p-256');
    let issuer = issueCertificate({ subject: 'CN=Maze 2,O=Test', issuer: mazeRoot, key: 'p-256', ca: true });
    const chain = [issuer];
    for (let n = 1; n < 5; n++) chain.push((issuer = issueCertificate({ subject: `CN=Maze 2 level ${n},O=Test`, issuer, key: 'p-256', ca: true })));
    const end = parse(leaf(issuer));
    const result = new CertificatePathValidator({ anchors: [parse(mazeRoot)] }).validate(end, chain.reverse().map(parse));
    expect(verdict(result)).toBe('ok');
  });

  it('tries the configured intermediate before junk a client appended under its name', () => {
    // Nine junk P-521 CAs that copy the configured issuing CA's name and SKI: tried first, they
    // would cost ~20 ms and exhaust the budget before the genuine issuer is reached.
    const configured = new CertificatePathValidator({ anchors: [parse(anchor)], intermediates: [parse(issuing)] });
    const ski = parse(issuing).subjectKeyIdentifier!;
    const junk = Array.from({ length: 9 }, () =>
      issueCertificate({
        subject: 'CN=Cost Issuing CA,O=Test',
        issuer: anchor,
        key: 'p-521',
        ca: true,
        omitExtensions: ['subjectKeyIdentifier'],
        extraExtensions: [{ oid: '2.5.29.14', critical: false, value: Buffer.concat([Buffer.from([0x04, ski.length / 2]), Buffer.from(ski, 'hex')]) }],
      }),
    );
    const { result, ms } = timed(() => configured.validate(parse(leaf(issuing)), junk.map(parse)));
    expect(verdict(result)).toBe('ok');
    expect(ms).toBeLessThan(20);
  });

  it('refuses a forwarded chain longer than maxForwardedCertificates before any work', () => {
    const capped = new CertificatePathValidator({ anchors: [parse(anchor)], maxForwardedCertificates: 3 });
    const chain = [issuing, issuing, issuing, issuing].map(parse);
    expect(verdict(capped.validate(parse(leaf(issuing)), chain))).toMatch(
      /^CERT_UNTRUSTED: the forwarded chain holds 4 certificates, more than the 3 accepted/,
    );
    expect(verdict(capped.validate(parse(leaf(issuing)), chain.slice(0, 3)))).toBe('ok');
  });

  it('refuses an RSA key above maxRsaBits before it verifies anything', () => {
    const big = new CertificatePathValidator({ anchors: [parse(anchor)], maxRsaBits: 2048 });
    expect(verdict(big.validate(parse(leaf(issuing)), [parse(issuing)]))).toMatch(/^CERT_POLICY: .*3072-bit RSA key; at most 2048 bits are accepted/);
  });
});
