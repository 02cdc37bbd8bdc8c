import request from 'supertest';
import { ClientCertAuthenticator, type ClientCertDecision } from '@client-cert-auth/core';
import { generateKeyPair, issueCertificate } from '@client-cert-auth/dev-pki';
import { rfc9440, startSample, type SampleHarness } from '../support/sample.harness';
import { CapturingLogger } from './support/capturing.logger';
import { OBSERVABILITY_SETTINGS, PROXY_SECRET } from './support/outcome.requests';
import { sampleValue } from './support/prometheus.text';

const FLOOD = 200;

/**
 * A flood of distinct certificates from a signer the backend does not trust (each one a cold
 * validation, none served by the refusal cache), through the real sample over HTTP with the
 * default decision log settings: the log gets the first 5 refusals in full and, at the end of the
 * interval (here: module destroy), one summary with the rest counted; the metrics and the
 * onDecision hook still see every request.
 */
describe.each(['express', 'fastify'] as const)('a flood of untrusted certificates on %s', (adapter) => {
  let sample: SampleHarness;
  const logger = new CapturingLogger();
  const decisions: ClientCertDecision[] = [];

  beforeAll(async () => {
    sample = await startSample(adapter, OBSERVABILITY_SETTINGS);
    sample.app.useLogger(logger);
    sample.app.get(ClientCertAuthenticator).onDecision((decision) => decisions.push(decision));
  });
  afterAll(() => sample?.close());

  it(`logs at most 5 of ${FLOOD} refusals in full and one summary with the rest, and counts all`, async () => {
    const rogue = issueCertificate({ subject: 'CN=Rogue Root,O=Elsewhere', ca: { pathLen: 1 } });
    const key = generateKeyPair('p-256');
    const leaves = Array.from({ length: FLOOD }, (_, n) => issueCertificate({ subject: `CN=flood-${n}`, issuer: rogue, key }).der);
    const server = sample.app.getHttpServer();
    const scrape = async () => (await request(server).get('/metrics').expect(200)).text;
    const before = await scrape();

    for (let i = 0; i < FLOOD; i += 20) {
      const batch = leaves.slice(i, i + 20).map((der) => request(server).get('/orders').set('X-Proxy-Secret', PROXY_SECRET).set('Client-Cert', rfc9440(der)));
      for (const res of await Promise.all(batch)) expect(res.body.code).toBe('CERT_UNTRUSTED');
    }

    const counted = sampleValue(await scrape(), 'client_cert_decisions_total', { result: 'CERT_UNTRUSTED', profile: 'waf' });
    expect(counted - sampleValue(before, 'client_cert_decisions_total', { result: 'CERT_UNTRUSTED', profile: 'waf' })).toBe(FLOOD);
    expect(decisions.filter((d) => d.result === 'CERT_UNTRUSTED')).toHaveLength(FLOOD);

    const full = () => logger.events('client_cert.decision').filter((e) => (e.message as { result?: string }).result === 'CERT_UNTRUSTED');
    expect(full()).toHaveLength(5);
    expect(full().every((e) => e.level === 'warn')).toBe(true);

    // The test finishes well inside the 10 s interval: the summary comes with module destroy.
    await sample.close();
    const summaries = logger.events('client_cert.decision.suppressed');
    expect(summaries).toEqual([
      expect.objectContaining({
        level: 'warn',
        context: 'ClientCertAuth',
        message: { event: 'client_cert.decision.suppressed', code: 'CERT_UNTRUSTED', profile: 'waf', suppressed: FLOOD - 5, intervalSeconds: 10 },
      }),
    ]);
    expect(logger.entries.length).toBeLessThan(20);
  });
});
