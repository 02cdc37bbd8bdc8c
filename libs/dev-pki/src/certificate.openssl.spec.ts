import { issueCertificate } from './certificate.issuer';
import { openssl, opensslVerify, tempFiles } from './openssl.spec-helper';
import type { CertificateSpec, KeySpec } from './certificate.types';

/** Interop with the real openssl 3 CLI: what we emit must be what other stacks accept. */
describe('issued certificates under openssl', () => {
  const tmp = tempFiles();
  afterAll(() => tmp.cleanup());

  const chain = (kind: KeySpec, leafSpec: Partial<CertificateSpec> = {}) => {
    const root = issueCertificate({ subject: 'CN=Root,O=Test,C=DE', ca: { pathLen: 1 }, key: kind });
    const intermediate = issueCertificate({ subject: 'CN=Intermediate,O=Test,C=DE', issuer: root, ca: { pathLen: 0 }, key: kind });
    const leaf = issueCertificate({ subject: 'CN=alice,O=Test', issuer: intermediate, key: kind, ...leafSpec });
    return { root: root.pem, intermediate: intermediate.pem, leaf: leaf.pem };
  };

  it.each<KeySpec>(['rsa-2048', 'rsa-pss-2048', 'p-256', 'p-384', 'p-521', 'ed25519'])('verifies a %s chain for sslclient', (kind) => {
    const r = opensslVerify(tmp, chain(kind), ['-purpose', 'sslclient']);
    expect(r.out).toContain('leaf.pem: OK');
    expect(r.ok).toBe(true);
  });

  it('rejects a leaf without clientAuth for sslclient (the purpose check is real)', () => {
    const r = opensslVerify(tmp, chain('p-256', { extendedKeyUsage: ['serverAuth'] }), ['-purpose', 'sslclient']);
    expect(r.ok).toBe(false);
    expect(r.out).toMatch(/unsuitable certificate purpose/);
  });

  it('rejects an unknown critical extension, accepts it when non-critical', () => {
    const ext = (critical: boolean) => ({ extraExtensions: [{ oid: '1.3.6.1.4.1.55555.1', critical, value: Buffer.from([0x05, 0x00]) }] });
    const bad = opensslVerify(tmp, chain('p-256', ext(true)));
    expect(bad.ok).toBe(false);
    expect(bad.out).toMatch(/unhandled critical extension/);
    expect(opensslVerify(tmp, chain('p-256', ext(false))).ok).toBe(true);
  });

  it.each([
    ['expired', { notBefore: new Date('2020-01-01Z'), notAfter: new Date('2021-01-01Z') }, /certificate has expired/],
    ['not yet valid', { notBefore: new Date('2060-01-01Z'), notAfter: new Date('2061-01-01Z') }, /certificate is not yet valid/],
  ])('honours dates: rejects a %s leaf', (_name, dates, message) => {
    const r = opensslVerify(tmp, chain('p-256', dates));
    expect(r.ok).toBe(false);
    expect(r.out).toMatch(message);
  });

  it('prints the SANs, CRL DP and OCSP URL asked for', () => {
    const pems = chain('p-256', {
      san: { dns: ['alice.test'], email: ['alice@test'], uri: ['spiffe://test/alice'], ip: ['10.1.2.3', '2001:db8::1'], upn: ['alice@corp.test'] },
      crlDistributionPoints: ['http://crl.test/int.crl'],
      ocspUrls: ['http://ocsp.test'],
    });
    const { ok, out } = openssl(['x509', '-noout', '-text', '-in', tmp.write('leaf-text.pem', pems.leaf)]);
    expect(ok).toBe(true);
    for (const s of [
      'DNS:alice.test',
      'email:alice@test',
      'URI:spiffe://test/alice',
      'IP Address:10.1.2.3',
      'IP Address:2001:DB8:0:0:0:0:0:1',
      'UPN::alice@corp.test',
      'URI:http://crl.test/int.crl',
      'OCSP - URI:http://ocsp.test',
      'TLS Web Client Authentication',
      'Digital Signature',
      'CA:FALSE',
      'X509v3 Subject Key Identifier',
      'X509v3 Authority Key Identifier',
    ])
      expect(out).toContain(s);
    expect(out).toMatch(/Subject: O ?= ?Test, CN ?= ?alice/);
  });

  it('prints name constraints and enforces them in openssl verify', () => {
    const root = issueCertificate({ subject: 'CN=NC Root', ca: true });
    const intermediate = issueCertificate({
      subject: 'CN=NC Intermediate',
      issuer: root,
      ca: { pathLen: 0 },
      nameConstraints: {
        permitted: { dns: ['.good.test', 'good.test'], email: ['good.test'], uri: ['.good.test'], ip: ['10.0.0.0/8', 'fd00::/8'], directoryName: ['O=Good'] },
        excluded: { dns: ['bad.good.test'] },
      },
    });
    const { out } = openssl(['x509', '-noout', '-text', '-in', tmp.write('nc.pem', intermediate.pem)]);
    for (const s of [
      'X509v3 Name Constraints: critical',
      'DNS:.good.test',
      'email:good.test',
      'URI:.good.test',
      'IP:10.0.0.0/255.0.0.0',
      'IP:FD00:0:0:0:0:0:0:0/FF00:0:0:0:0:0:0:0',
      'DirName:O = Good',
      'Excluded:',
      'DNS:bad.good.test',
    ])
      expect(out).toContain(s);
    const leaf = (dns: string) => issueCertificate({ subject: 'CN=x,O=Good', issuer: intermediate, san: { dns: [dns] } }).pem;
    expect(opensslVerify(tmp, { root: root.pem, intermediate: intermediate.pem, leaf: leaf('a.good.test') }).ok).toBe(true);
    expect(opensslVerify(tmp, { root: root.pem, intermediate: intermediate.pem, leaf: leaf('a.evil.test') }).out).toMatch(/permitted subtree violation/);
    expect(opensslVerify(tmp, { root: root.pem, intermediate: intermediate.pem, leaf: leaf('bad.good.test') }).out).toMatch(/excluded subtree violation/);
  });
});
