import { getHashes, X509Certificate } from 'node:crypto';
import { issueCertificate } from './certificate.issuer';
import { generateKeyPair } from './key-pair';
import type { KeySpec } from './certificate.types';

const KINDS: KeySpec[] = ['rsa-2048', 'rsa-pss-2048', 'p-256', 'p-384', 'p-521', 'ed25519'];

describe('issueCertificate', () => {
  describe.each(KINDS)('%s chain', (kind) => {
    const root = issueCertificate({ subject: 'CN=Root,O=Test', ca: { pathLen: 1 }, key: kind });
    const intermediate = issueCertificate({ subject: 'CN=Intermediate,O=Test', issuer: root, ca: { pathLen: 0 }, key: kind });
    const leaf = issueCertificate({ subject: 'CN=leaf,O=Test', issuer: intermediate, key: kind });
    const [r, i, l] = [root, intermediate, leaf].map((c) => new X509Certificate(c.pem));

    it('verifies each signature with the issuer key and checkIssued links the chain', () => {
      expect(r.verify(r.publicKey)).toBe(true);
      expect(i.verify(r.publicKey)).toBe(true);
      expect(l.verify(i.publicKey)).toBe(true);
      expect(l.verify(r.publicKey)).toBe(false);
      expect(i.checkIssued(r)).toBe(true);
      expect(l.checkIssued(i)).toBe(true);
      expect(r.ca && i.ca && !l.ca).toBe(true);
    });

    it('never reuses a key inside one chain, even from the cache', () => {
      const spkis = [root, intermediate, leaf].map((c) => c.publicKey.export({ type: 'spki', format: 'der' }).toString('hex'));
      expect(new Set(spkis).size).toBe(3);
    });

    it('returns the key that matches the certificate', () => {
      expect(l.checkPrivateKey(leaf.privateKey)).toBe(true);
      expect(leaf.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    });
  });

  it.each(['sha1', 'sha256', 'sha384', 'sha512'] as const)('signs RSA PKCS#1 v1.5 with %s', (hash) => {
    const cert = issueCertificate({ subject: 'CN=rsa', key: 'rsa-2048', signatureHash: hash });
    const x = new X509Certificate(cert.der);
    expect(x.verify(x.publicKey)).toBe(true);
  });

  it('signs with md5 when the OpenSSL build has it, else says why', () => {
    const issue = () => issueCertificate({ subject: 'CN=md5', key: 'rsa-1024', signatureHash: 'md5' });
    if (getHashes().includes('md5')) expect(new X509Certificate(issue().der).verify(generateKeyPair('rsa-1024').publicKey)).toBe(true);
    else expect(issue).toThrow(/hash 'md5' is not available/);
  });

  it.each([
    ['2020-01-01T00:00:00Z', '2021-01-01T00:00:00Z'],
    ['1950-01-01T00:00:00Z', '2049-12-31T23:59:59Z'],
    ['2049-06-01T00:00:00Z', '2051-06-01T12:34:56Z'],
  ])('honours notBefore %s / notAfter %s', (nb, na) => {
    const x = new X509Certificate(issueCertificate({ subject: 'CN=dates', notBefore: new Date(nb), notAfter: new Date(na) }).der);
    expect(new Date(x.validFrom).toISOString()).toBe(new Date(nb).toISOString());
    expect(new Date(x.validTo).toISOString()).toBe(new Date(na).toISOString());
  });

  it('defaults to valid from an hour ago for a year', () => {
    const x = new X509Certificate(issueCertificate({ subject: 'CN=d' }).der);
    expect(Date.parse(x.validFrom)).toBeLessThan(Date.now() - 3500_000);
    expect(Date.parse(x.validTo)).toBeGreaterThan(Date.now() + 364 * 86400_000);
  });

  it.each([
    ['01', '01'],
    ['80', '0080'],
    ['00ff', '00ff'],
    ['DEADBEEF', '00deadbeef'],
    ['0001', '01'],
  ])('encodes serial %s positively as %s', (serial, hex) => {
    const cert = issueCertificate({ subject: 'CN=s', serialNumber: serial });
    expect(cert.serialNumber).toBe(hex);
    expect(new X509Certificate(cert.der).serialNumber.toLowerCase()).toBe(hex.replace(/^00/, '').padStart(2, '0'));
  });

  it('gives every certificate a distinct random positive serial, also with a cached key', () => {
    const serials = Array.from({ length: 50 }, () => issueCertificate({ subject: 'CN=x', key: 'rsa-2048', freshKey: false }).serialNumber);
    expect(new Set(serials).size).toBe(50);
    for (const s of serials) expect(parseInt(s.slice(0, 2), 16) & 0x80).toBe(0);
  });

  it('shares the SPKI when the same explicit key is passed', () => {
    const key = generateKeyPair('p-256', { fresh: true });
    const [a, b] = [1, 2].map(() => new X509Certificate(issueCertificate({ subject: 'CN=pin', key }).der));
    expect(a.publicKey.export({ type: 'spki', format: 'der' })).toEqual(b.publicKey.export({ type: 'spki', format: 'der' }));
  });

  it('gives fresh EC keys by default and cached RSA keys unless freshKey', () => {
    const spki = (c: { publicKey: { export(o: object): Buffer | string } }) => c.publicKey.export({ type: 'spki', format: 'der' });
    expect(spki(issueCertificate({ subject: 'CN=a' }))).not.toEqual(spki(issueCertificate({ subject: 'CN=a' })));
    expect(spki(issueCertificate({ subject: 'CN=a', key: 'rsa-2048' }))).toEqual(spki(issueCertificate({ subject: 'CN=b', key: 'rsa-2048' })));
    expect(spki(issueCertificate({ subject: 'CN=a', key: 'rsa-2048', freshKey: true }))).not.toEqual(spki(generateKeyPair('rsa-2048')));
  });

  it('writes a v1 certificate without extensions', () => {
    const x = new X509Certificate(issueCertificate({ subject: 'CN=v1', version: 1, san: { dns: ['ignored.test'] } }).der);
    expect(x.subjectAltName).toBeUndefined();
    expect(x.ca).toBe(false);
  });
});
