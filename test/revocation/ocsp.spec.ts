import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { RevocationChecker, enforceRevocationVerdict } from '@client-cert-auth/core';
import type { RevocationOptions } from '@client-cert-auth/core';
import { countingProxy, freePort, hangingServer, replayServer, type TestServer } from './support/http-fixtures';
import { startOcspResponder, type OcspResponder } from './support/ocsp-responder';
import { OpensslCa, run, type IssuedCert } from './support/openssl-ca';

/** OCSP against a real `openssl ocsp -index … -port …` responder on 127.0.0.1. */
describe('revocation by OCSP (openssl ocsp responder)', () => {
  const root = mkdtempSync(join(tmpdir(), 'ocsp-spec-'));
  const quiet = { warn: (m: string, c?: object) => process.env.DEBUG_REV && console.log(m, c) };
  const responders: OcspResponder[] = [];
  const servers: TestServer[] = [];
  const checkers: RevocationChecker[] = [];
  let ca: OpensslCa;
  let alice: IssuedCert;
  let bob: IssuedCert;
  let carol: IssuedCert;
  let signer: IssuedCert;
  let aia: TestServer;
  let main: OcspResponder;

  const checker = (ocsp: RevocationOptions['ocsp'] = {}, rest: Omit<RevocationOptions, 'ocsp'> = {}): RevocationChecker => {
    const c = new RevocationChecker({ mode: 'hard-fail', crl: { enabled: false }, ...rest, ocsp: { nonce: true, ...ocsp } }, quiet);
    checkers.push(c);
    return c;
  };
  const path = (cert: IssuedCert) => [cert.parsed, ca.cert.parsed];
  const responder = async (by: IssuedCert, opts: { nmin?: number } = {}, on = ca): Promise<OcspResponder> => {
    const r = await startOcspResponder(on, await freePort(), by, opts);
    responders.push(r);
    return r;
  };

  beforeAll(async () => {
    const aiaPort = await freePort();
    ca = OpensslCa.create(join(root, 'ca'), { name: 'OCSP CA', ocspUrl: `http://127.0.0.1:${aiaPort}/` });
    [alice, bob, signer] = [ca.issue('alice'), ca.issue('bob'), ca.issue('ocsp-signer', 'ocsp')];
    carol = ca.issueOutsideIndex('carol', '4242');
    ca.revoke(bob, 'keyCompromise');
    main = await responder(signer, { nmin: 10 });
    // The AIA URL points at a counting proxy in front of the responder, so tests can count queries.
    aia = await countingProxy(main.port, 0, aiaPort);
    servers.push(aia);
  });

  afterEach(() => checkers.splice(0).forEach((c) => c.stop()));
  afterAll(async () => {
    await Promise.all([...responders.map((r) => r.stop()), ...servers.map((s) => s.close())]);
    rmSync(root, { recursive: true, force: true });
  });

  it.each([
    ['good', () => alice, 'good', undefined],
    ['revoked', () => bob, 'revoked', 'CERT_REVOKED'],
    ['unknown (not in index.txt)', () => carol, 'unknown', 'REVOCATION_UNAVAILABLE'],
  ] as const)('%s: the responder at the AIA URL decides', async (_name, cert, status, code) => {
    const verdict = await checker().check(path(cert()));
    expect(verdict).toMatchObject({ status, source: 'ocsp', mode: 'hard-fail' });
    if (code) expect(() => enforceRevocationVerdict(verdict)).toThrow(expect.objectContaining({ code }));
    else expect(() => enforceRevocationVerdict(verdict)).not.toThrow();
    if (status === 'revoked') expect(verdict.reason).toBe('keyCompromise');
    if (status === 'good') expect(verdict.validUntil!.getTime()).toBeLessThanOrEqual(Date.now() + 10 * 60_000); // nextUpdate (-nmin 10)
    if (status === 'unknown') expect(verdict.validUntil).toBeUndefined();
  });

  it('accepts a response signed by the issuer itself', async () => {
    const byIssuer = await responder(ca.cert);
    await expect(checker({ responderUrl: byIssuer.url }).check(path(alice))).resolves.toMatchObject({ status: 'good', source: 'ocsp' });
  });

  describe('forged responses are refused (unknown)', () => {
    it.each([
      ['a responder certificate without id-kp-OCSPSigning', () => ca.issue('plain-signer', 'plain'), () => ca, /lacks id-kp-OCSPSigning/],
      [
        'a delegated responder of another CA',
        () => otherCa().issue('evil-signer', 'ocsp'),
        () => otherCa(),
        /not issued by the certificate issuer|signed by neither/,
      ],
    ] as const)('signed by %s', async (_name, makeSigner, on, reason) => {
      const forged = await responder(makeSigner(), {}, on());
      const verdict = await checker({ responderUrl: forged.url }).check(path(alice));
      expect(verdict).toMatchObject({ status: 'unknown', source: 'ocsp' });
      expect(verdict.reason).toMatch(reason);
    });
  });

  it('treats a stale response (nextUpdate passed) as unknown, and the same response as good before that', async () => {
    const shortLived = await responder(signer, { nmin: 1 });
    const soon = checker({ responderUrl: shortLived.url });
    await expect(soon.check(path(alice))).resolves.toMatchObject({ status: 'good' });
    const later = await checker({ responderUrl: shortLived.url }).check(path(alice), new Date(Date.now() + 3 * 60_000));
    expect(later).toMatchObject({ status: 'unknown', source: 'ocsp' });
    expect(later.reason).toMatch(/stale response/);
  });

  it('refuses a replayed response whose nonce does not match; accepts it without nonce checking', async () => {
    const recorded = join(root, 'recorded.der');
    // Straight to the openssl responder: execFileSync blocks this process, so an in-process proxy could not answer.
    run(ca.dir, ['ocsp', '-issuer', 'ca.pem', '-cert', alice.certPath, '-url', main.url, '-respout', recorded, '-noverify', '-timeout', '5']);
    const replay = await replayServer(() => readFileSync(recorded));
    servers.push(replay);
    const withNonce = await checker({ responderUrl: replay.url }).check(path(alice));
    expect(withNonce).toMatchObject({ status: 'unknown' });
    expect(withNonce.reason).toMatch(/nonce does not match/);
    await expect(checker({ responderUrl: replay.url, nonce: false }).check(path(alice))).resolves.toMatchObject({ status: 'good' });
  });

  describe('responder down or slow', () => {
    it.each([
      ['soft-fail', undefined],
      ['hard-fail', 'REVOCATION_UNAVAILABLE'],
    ] as const)('connection refused in %s', async (mode, code) => {
      const deadUrl = `http://127.0.0.1:${await freePort()}/`;
      const verdict = await checker({ responderUrl: deadUrl }, { mode }).check(path(alice));
      expect(verdict).toMatchObject({ status: 'unknown', source: 'ocsp', mode });
      if (code) expect(() => enforceRevocationVerdict(verdict)).toThrow(expect.objectContaining({ code }));
      else expect(() => enforceRevocationVerdict(verdict)).not.toThrow();
    });

    it('gives up after timeoutMs when the responder never answers', async () => {
      const hanging = await hangingServer();
      servers.push(hanging);
      const started = Date.now();
      const verdict = await checker({ responderUrl: hanging.url, timeoutMs: 300 }).check(path(alice));
      const elapsed = Date.now() - started;
      expect(verdict).toMatchObject({ status: 'unknown', source: 'ocsp' });
      expect(verdict.reason).toMatch(/timed out after 300 ms/);
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(elapsed).toBeLessThan(1500);
    });

    it('opens the circuit breaker after failureThreshold timeouts, then answers at once; half-open after openMs', async () => {
      const hanging = await hangingServer();
      servers.push(hanging);
      const c = checker({ responderUrl: hanging.url, timeoutMs: 150, circuitBreaker: { failureThreshold: 2, openMs: 400 } });
      await c.check(path(alice));
      await c.check(path(alice));
      expect(c.health().ocsp).toEqual([{ url: hanging.url, breaker: 'open' }]);

      const started = Date.now();
      const fast = await c.check(path(alice));
      expect(Date.now() - started).toBeLessThan(50);
      expect(fast.reason).toMatch(/circuit open/);
      expect(hanging.requests).toBe(2);

      await sleep(450);
      expect(c.health().ocsp[0].breaker).toBe('half-open');
      await c.check(path(alice)); // the one trial request, which fails again
      expect(hanging.requests).toBe(3);
      expect(c.health().ocsp[0].breaker).toBe('open');
    });
  });

  it('coalesces concurrent checks of one certificate into one query', async () => {
    const slowProxy = await countingProxy((await responder(signer, { nmin: 10 })).port, 150);
    servers.push(slowProxy);
    const c = checker({ responderUrl: slowProxy.url });
    const verdicts = await Promise.all(Array.from({ length: 10 }, () => c.check(path(alice))));
    expect(verdicts.map((v) => v.status)).toEqual(Array(10).fill('good'));
    expect(slowProxy.requests).toBe(1);
  });

  it('makes no network call when a fresh answer is cached: good and revoked keep answering with the responder gone', async () => {
    const own = await responder(signer, { nmin: 10 });
    const proxy = await countingProxy(own.port);
    const c = checker({ responderUrl: proxy.url });
    await expect(c.check(path(alice))).resolves.toMatchObject({ status: 'good' });
    await expect(c.check(path(bob))).resolves.toMatchObject({ status: 'revoked' });
    expect(proxy.requests).toBe(2);

    await Promise.all([own.stop(), proxy.close()]);
    for (let i = 0; i < 20; i++) {
      await expect(c.check(path(alice))).resolves.toMatchObject({ status: 'good', source: 'ocsp' });
      await expect(c.check(path(bob))).resolves.toMatchObject({ status: 'revoked', source: 'ocsp' });
    }
    expect(proxy.requests).toBe(2);
    expect(c.stats().ocspRequests).toBe(2);
    if (process.env.REVOCATION_FIGURES) {
      const rounds = 5_000;
      const start = performance.now();
      for (let i = 0; i < rounds; i++) await c.check(path(alice));
      console.log(`OCSP cached check(): ${(((performance.now() - start) * 1000) / rounds).toFixed(2)} µs mean over ${rounds}`);
    }
  });

  it('turns an internal failure into unknown instead of rejecting (hard-fail → 503, never 500)', async () => {
    const badIssuer = { ...ca.cert.parsed, publicKey: { ...ca.cert.parsed.publicKey, der: Buffer.from('not an spki') } };
    const verdict = await checker().check([alice.parsed, badIssuer]);
    expect(verdict).toMatchObject({ status: 'unknown', mode: 'hard-fail' });
    expect(verdict.reason).toMatch(/revocation check failed/);
    expect(() => enforceRevocationVerdict(verdict)).toThrow(expect.objectContaining({ code: 'REVOCATION_UNAVAILABLE' }));
  });

  describe('per trust anchor settings', () => {
    it.each([
      ['fingerprint', () => ({ fingerprintSha256: colons(ca.cert.parsed.fingerprintSha256) }), 'hard-fail', 'REVOCATION_UNAVAILABLE'],
      ['subject', () => ({ subject: ca.cert.parsed.subject.rfc4514 }), 'off', undefined],
    ] as const)('an override by %s changes the mode for paths to that anchor', async (_by, match, mode, code) => {
      const deadUrl = `http://127.0.0.1:${await freePort()}/`;
      const c = checker({ responderUrl: deadUrl }, { mode: 'soft-fail', anchors: [{ ...match(), mode }] });
      const verdict = await c.check(path(alice));
      expect(verdict.mode).toBe(mode);
      if (code) expect(() => enforceRevocationVerdict(verdict)).toThrow(expect.objectContaining({ code }));
      else expect(() => enforceRevocationVerdict(verdict)).not.toThrow();
    });
  });

  let other: OpensslCa | undefined;
  function otherCa(): OpensslCa {
    other ??= OpensslCa.create(join(root, 'other'), { name: 'Other CA' });
    return other;
  }
});

function colons(hex: string): string {
  return hex.toUpperCase().match(/../g)!.join(':');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
