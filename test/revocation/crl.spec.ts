import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RevocationChecker, enforceRevocationVerdict } from '@client-cert-auth/core';
import type { RevocationOptions } from '@client-cert-auth/core';
import { freePort, serveFile, type TestServer } from './support/http-fixtures';
import { OpensslCa, type CaKeyType } from './support/openssl-ca';

/** CRLs made by `openssl ca -gencrl`, read from files and from distribution points over HTTP. */
describe('revocation by CRL (openssl ca -gencrl)', () => {
  const root = mkdtempSync(join(tmpdir(), 'crl-spec-'));
  const quiet = { warn: () => undefined };
  const checkers: RevocationChecker[] = [];
  const servers: TestServer[] = [];
  const checker = (options: RevocationOptions): RevocationChecker => {
    const c = new RevocationChecker({ ...options, ocsp: { enabled: false, ...options.ocsp } }, quiet);
    checkers.push(c);
    return c;
  };

  afterEach(() => checkers.splice(0).forEach((c) => c.stop()));
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    rmSync(root, { recursive: true, force: true });
  });

  it.each<CaKeyType>(['ec', 'rsa', 'rsa-pss', 'ed25519'])('verifies a %s-signed CRL: good stays good, revoked is revoked', async (keyType) => {
    const ca = OpensslCa.create(join(root, keyType), { name: `CRL CA ${keyType}` });
    const [alice, bob] = [ca.issue('alice'), ca.issue('bob')];
    ca.revoke(bob, 'keyCompromise');
    const crl = ca.gencrl('ca.crl');
    const c = checker({ mode: 'hard-fail', crl: { files: [crl] } });
    await c.start();

    const good = await c.check([alice.parsed, ca.cert.parsed]);
    expect(good).toMatchObject({ status: 'good', source: 'crl', mode: 'hard-fail' });
    expect(good.validUntil).toEqual(c.health().crls[0].nextUpdate); // a verdict cache must not outlive the CRL
    const verdict = await c.check([bob.parsed, ca.cert.parsed]);
    expect(verdict).toMatchObject({ status: 'revoked', source: 'crl', reason: 'keyCompromise', serialNumber: bob.parsed.serialNumber });
    expect(() => enforceRevocationVerdict(verdict)).toThrow(expect.objectContaining({ code: 'CERT_REVOKED' }));
    expect(c.health().crls).toEqual([expect.objectContaining({ fresh: true, revokedCount: 1, issuer: `O=Revocation Tests,CN=CRL CA ${keyType}` })]);
  });

  describe('unusable CRLs give an unknown status', () => {
    const ca = OpensslCa.create(join(root, 'unusable'), { name: 'Unusable CA' });
    const alice = ca.issue('alice');
    // Same subject, different key: the name matches, the signature must not.
    const impostor = OpensslCa.create(join(root, 'impostor'), { name: 'Unusable CA' });
    const cases = [
      ['expired', () => ca.gencrl('expired.crl', { window: { last: new Date(Date.now() - 7200_000), next: new Date(Date.now() - 3600_000) } }), /expired/],
      ['signed by the wrong key', () => impostor.gencrl('forged.crl'), /does not verify/],
    ] as const;

    it.each(cases)('%s CRL: unknown, allowed in soft-fail, refused in hard-fail', async (_name, make, reason) => {
      const file = make();
      for (const mode of ['soft-fail', 'hard-fail'] as const) {
        const c = checker({ mode, crl: { files: [file] } });
        await c.start();
        const verdict = await c.check([alice.parsed, ca.cert.parsed]);
        expect(verdict).toMatchObject({ status: 'unknown', mode });
        expect(verdict.reason).toMatch(reason);
        if (mode === 'soft-fail') expect(() => enforceRevocationVerdict(verdict)).not.toThrow();
        else expect(() => enforceRevocationVerdict(verdict)).toThrow(expect.objectContaining({ code: 'REVOCATION_UNAVAILABLE' }));
      }
    });

    it('accepts the certificate when revocation is off (pass/fail pair of the cases above)', async () => {
      const c = checker({ mode: 'off', crl: { files: [cases[0][1]()] } });
      await c.start();
      const verdict = await c.check([alice.parsed, ca.cert.parsed]);
      expect(verdict).toMatchObject({ status: 'unknown', mode: 'off' });
      expect(() => enforceRevocationVerdict(verdict)).not.toThrow();
    });

    it('a certificate that no CRL (and no responder) covers is unknown: refused in hard-fail', async () => {
      const stranger = OpensslCa.create(join(root, 'stranger'), { name: 'Stranger CA' });
      const c = checker({ mode: 'hard-fail', crl: { files: [ca.gencrl('other.crl')] } });
      await c.start();
      const verdict = await c.check([stranger.issue('zed').parsed, stranger.cert.parsed]);
      expect(verdict).toMatchObject({ status: 'unknown', source: 'none' });
      expect(() => enforceRevocationVerdict(verdict)).toThrow(expect.objectContaining({ code: 'REVOCATION_UNAVAILABLE' }));
    });

    it('refuses to start with a configured CRL file that cannot be read', async () => {
      await expect(checker({ crl: { files: [join(root, 'missing.crl')] } }).start()).rejects.toThrow(/revocation\.crl\.files/);
    });
  });

  describe('CRL scope (issuingDistributionPoint) and unsupported CRLs', () => {
    const ca = OpensslCa.create(join(root, 'scope'), { name: 'Scope CA', crlUrl: 'http://127.0.0.1:9/scope.crl' });
    const dave = ca.issue('dave');
    ca.revoke(dave);

    it.each([
      ["names the certificate's distribution point (onlyContainsUserCerts)", 'idp_match', 'revoked', 'crl'],
      ['names another partition: it does not cover the certificate', 'idp_other', 'unknown', 'none'],
    ] as const)('a CRL whose issuingDistributionPoint %s', async (_name, crlexts, status, source) => {
      const c = checker({ mode: 'hard-fail', crl: { files: [ca.gencrl(`${crlexts}.crl`, { crlexts })], useDistributionPoints: false } });
      await c.start();
      await expect(c.check([dave.parsed, ca.cert.parsed])).resolves.toMatchObject({ status, source });
    });

    it('refuses a delta CRL (critical deltaCRLIndicator) as a configured file', async () => {
      const c = checker({ crl: { files: [ca.gencrl('delta.crl', { crlexts: 'delta' })] } });
      await expect(c.start()).rejects.toThrow(/delta CRLs are not supported/);
    });
  });

  it('picks up a changed CRL file within one refresh interval, without restart', async () => {
    const ca = OpensslCa.create(join(root, 'refresh-file'), { name: 'Refresh CA' });
    const alice = ca.issue('alice');
    const file = ca.gencrl('ca.crl');
    const c = checker({ mode: 'hard-fail', crl: { files: [file], refreshIntervalMs: 300 } });
    await c.start();
    await expect(c.check([alice.parsed, ca.cert.parsed])).resolves.toMatchObject({ status: 'good' });

    ca.revoke(alice);
    ca.gencrl('ca.crl');
    await sleep(450);
    await expect(c.check([alice.parsed, ca.cert.parsed])).resolves.toMatchObject({ status: 'revoked', source: 'crl' });
  });

  describe('paths with an intermediate CA', () => {
    const rootCa = OpensslCa.create(join(root, 'chain-root'), { name: 'Chain Root' });
    const intermediate = rootCa.subordinate(join(root, 'chain-int'), { name: 'Chain Intermediate' });
    const erin = intermediate.issue('erin');
    const path = [erin.parsed, intermediate.cert.parsed, rootCa.cert.parsed];

    it('checks the intermediate where a CRL for it exists: revoked intermediate → revoked path', async () => {
      const leafCrl = intermediate.gencrl('int.crl');
      const okRoot = rootCa.gencrl('root-before.crl');
      const before = checker({ mode: 'hard-fail', crl: { files: [leafCrl, okRoot] } });
      await before.start();
      await expect(before.check(path)).resolves.toMatchObject({ status: 'good', source: 'crl', serialNumber: erin.parsed.serialNumber });

      rootCa.revoke(intermediate.cert, 'cACompromise');
      const after = checker({ mode: 'hard-fail', crl: { files: [leafCrl, rootCa.gencrl('root-after.crl')] } });
      await after.start();
      await expect(after.check(path)).resolves.toMatchObject({
        status: 'revoked',
        reason: 'cACompromise',
        serialNumber: intermediate.cert.parsed.serialNumber,
      });
    });

    it('does not require data for the intermediate: only the leaf must be answered', async () => {
      const c = checker({ mode: 'hard-fail', crl: { files: [intermediate.gencrl('int-only.crl')] } });
      await c.start();
      const verdict = await c.check(path);
      expect(verdict).toMatchObject({ status: 'good', source: 'crl' });
      expect(verdict.dataAgeSeconds).toBeLessThan(60);
    });
  });

  it('refreshes before nextUpdate (at nextUpdate − margin), not only every interval', async () => {
    const ca = OpensslCa.create(join(root, 'margin'), { name: 'Margin CA' });
    const file = ca.gencrl('short.crl', { seconds: 3 });
    const c = checker({ crl: { files: [file], refreshIntervalMs: 60_000, refreshMarginMs: 2_500, retryIntervalMs: 200 } });
    await c.start();
    expect(c.stats().crlLoads[file]).toBe(1);
    await sleep(900);
    expect(c.stats().crlLoads[file]).toBeGreaterThanOrEqual(2);
  });

  describe('distribution points over HTTP', () => {
    let ca: OpensslCa;
    let server: TestServer;
    const crlFile = (): string => join(root, 'dp', 'served.crl');

    beforeAll(async () => {
      const port = await freePort();
      ca = OpensslCa.create(join(root, 'dp'), { name: 'DP CA', crlUrl: `http://127.0.0.1:${port}/dp.crl` });
      copyFileSync(ca.gencrl('ca.crl'), crlFile());
      server = await serveFile(crlFile, port);
      servers.push(server);
    });

    it('fetches a distribution point once, then answers from memory: no network call on the request path', async () => {
      const alice = ca.issue('dp-alice');
      const c = checker({ mode: 'hard-fail', crl: { refreshIntervalMs: 60_000 } });
      await c.start();
      const before = server.requests;
      await expect(c.check([alice.parsed, ca.cert.parsed])).resolves.toMatchObject({ status: 'good', source: 'crl' });
      expect(server.requests).toBe(before + 1);

      const verdicts = await Promise.all(Array.from({ length: 50 }, () => c.check([alice.parsed, ca.cert.parsed])));
      expect(verdicts.every((v) => v.status === 'good')).toBe(true);
      expect(server.requests).toBe(before + 1);
    });

    it('rejects a certificate revoked at the distribution point within one refresh interval', async () => {
      const bob = ca.issue('dp-bob');
      const c = checker({ mode: 'hard-fail', crl: { refreshIntervalMs: 300 } });
      await c.start();
      await expect(c.check([bob.parsed, ca.cert.parsed])).resolves.toMatchObject({ status: 'good' });
      ca.revoke(bob);
      copyFileSync(ca.gencrl('ca.crl'), crlFile());
      await sleep(450);
      await expect(c.check([bob.parsed, ca.cert.parsed])).resolves.toMatchObject({ status: 'revoked', source: 'crl' });
    });

    it('reports an unreachable distribution point as unknown (hard-fail refuses), without refetching per request', async () => {
      const deadPort = await freePort();
      const lonely = OpensslCa.create(join(root, 'dead-dp'), { name: 'Dead DP CA', crlUrl: `http://127.0.0.1:${deadPort}/gone.crl` });
      const frank = lonely.issue('frank');
      const c = checker({ mode: 'hard-fail', crl: { retryIntervalMs: 60_000 } });
      await c.start();
      const verdict = await c.check([frank.parsed, lonely.cert.parsed]);
      expect(verdict).toMatchObject({ status: 'unknown', source: 'crl' });
      expect(verdict.reason).toMatch(/unavailable/);
      expect(() => enforceRevocationVerdict(verdict)).toThrow(expect.objectContaining({ code: 'REVOCATION_UNAVAILABLE' }));
      await c.check([frank.parsed, lonely.cert.parsed]);
      expect(c.stats().crlLoads[`http://127.0.0.1:${deadPort}/gone.crl`]).toBe(1); // one failed attempt, no retry on the request path
      expect(c.health().crls).toEqual([expect.objectContaining({ fresh: false, lastError: expect.stringMatching(/ECONNREFUSED/) })]);
    });

    it('keeps answering from the cached CRL when the CRL server is gone', async () => {
      const carol = ca.issue('dp-carol');
      const c = checker({ mode: 'hard-fail', crl: { refreshIntervalMs: 60_000 } });
      await c.start();
      await expect(c.check([carol.parsed, ca.cert.parsed])).resolves.toMatchObject({ status: 'good' });
      await server.close();
      await expect(c.check([carol.parsed, ca.cert.parsed])).resolves.toMatchObject({ status: 'good', source: 'crl' });
    });
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
