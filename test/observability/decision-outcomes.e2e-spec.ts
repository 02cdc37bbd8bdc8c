import request from 'supertest';
import { ClientCertAuthenticator, type ClientCertDecision } from '@client-cert-auth/core';
import { startSample, type SampleHarness } from '../support/sample.harness';
import { CapturingLogger } from './support/capturing.logger';
import { enrollOutcomeClients, OBSERVABILITY_SETTINGS, OUTCOMES, PROXY_SECRET } from './support/outcome.requests';
import { sampleValue } from './support/prometheus.text';

/**
 * Every outcome is provoked once against the real sample backend; the same request must show up
 * with the same code in the onDecision hook, in the Nest log (event `client_cert.decision`) and in
 * the Prometheus counters served on /metrics.
 */

describe.each(['express', 'fastify'] as const)('decision log and metrics per outcome on %s', (adapter) => {
  let sample: SampleHarness;
  const decisions: ClientCertDecision[] = [];
  const logger = new CapturingLogger();
  const scrape = async () => (await request(sample.app.getHttpServer()).get('/metrics').expect(200)).text;

  beforeAll(async () => {
    sample = await startSample(adapter, OBSERVABILITY_SETTINGS);
    sample.app.useLogger(logger);
    sample.app.get(ClientCertAuthenticator).onDecision((decision) => decisions.push(decision));
    await enrollOutcomeClients(sample);
  });
  afterAll(() => sample.close());
  beforeEach(() => {
    decisions.length = 0;
    logger.entries.length = 0;
  });

  it.each(OUTCOMES)('records %s (HTTP %i) in the hook, the log and the metrics', async (code, status, send) => {
    const before = await scrape();
    const res = await send(sample);
    expect(res.status).toBe(status);
    if (status !== 200) expect(res.body.code).toBe(code);

    expect(decisions.map((d) => d.result)).toEqual([code]);
    const [decision] = decisions;
    expect(decision.durationMs).toBeGreaterThanOrEqual(0);
    // Every request here reaches the backend from the profile's address: even refusals name it.
    expect(decision.profile).toBe('waf');

    const logged = logger.events('client_cert.decision');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toEqual(expect.objectContaining({ level: code === 'OK' ? 'debug' : 'warn', context: 'ClientCertAuth' }));
    expect(logged[0].message).toEqual(expect.objectContaining({ result: code }));
    // Identifiers only: the certificate itself never reaches the log.
    expect(JSON.stringify(logged[0].message)).not.toContain(sample.pki.clients.alice.der.toString('base64').slice(0, 40));

    const after = await scrape();
    const counter = (text: string) => sampleValue(text, 'client_cert_decisions_total', { result: code, profile: 'waf' });
    expect(counter(after) - counter(before)).toBe(1);
    const spoofs = (text: string) => sampleValue(text, 'client_cert_spoof_attempts_total');
    expect(spoofs(after) - spoofs(before)).toBe(code === 'SOURCE_UNTRUSTED' ? 1 : 0);
  });

  it('logs accepted decisions with the matched binding, revocation state and cache use', async () => {
    await OUTCOMES[0][2](sample);
    expect(decisions[0]).toEqual(
      expect.objectContaining({
        result: 'OK',
        profile: 'waf',
        format: 'rfc9440',
        account: 'alice-app',
        binding: 'san-uri:spiffe://test.local/alice',
        subject: 'CN=alice,O=Sample Clients',
        fingerprintSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        revocation: expect.objectContaining({ status: 'unknown', source: 'none' }),
        cached: expect.any(Boolean),
      }),
    );
  });

  it('names the expected certificate header in the CERT_MISSING log entry, without echoing input', async () => {
    await request(sample.app.getHttpServer()).get('/orders').set('X-Proxy-Secret', PROXY_SECRET).set('X-Something', 'echo-me').expect(401);
    const [entry] = logger.events('client_cert.decision');
    expect(entry.message).toEqual(expect.objectContaining({ result: 'CERT_MISSING', reason: expect.stringMatching(/client-cert.*"waf"/) }));
    expect(JSON.stringify(entry.message)).not.toContain('echo-me');
  });

  it('serves an open /health (registry up, revocation off) next to /metrics', async () => {
    const res = await request(sample.app.getHttpServer()).get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.details).toEqual({
      client_cert_registry: expect.objectContaining({ status: 'up' }),
      client_cert_revocation: expect.objectContaining({ status: 'up', mode: 'off' }),
    });
    expect((await request(sample.app.getHttpServer()).get('/metrics').expect(200)).headers['content-type']).toMatch(/^text\/plain/);
  });

  it('counts verdict-cache hits and misses and observes the decision duration', async () => {
    const before = await scrape();
    const cert = sample.pki.clients.bob.der;
    const send = () =>
      request(sample.app.getHttpServer())
        .get('/orders')
        .set('X-Proxy-Secret', PROXY_SECRET)
        .set('Client-Cert', `:${cert.toString('base64')}:`);
    await send().expect(200);
    await send().expect(200);
    const after = await scrape();
    const delta = (name: string, labels?: Record<string, string>) => sampleValue(after, name, labels) - sampleValue(before, name, labels);
    expect(decisions.map((d) => d.cached)).toEqual([expect.any(Boolean), true]);
    expect(delta('client_cert_verdict_cache_hits_total')).toBeGreaterThanOrEqual(1);
    expect(delta('client_cert_verdict_cache_hits_total') + delta('client_cert_verdict_cache_misses_total')).toBe(2);
    expect(delta('client_cert_decision_duration_seconds_count', { outcome: 'accepted', cache: 'hit' })).toBeGreaterThanOrEqual(1);
    expect(delta('client_cert_revocation_checks_total', { status: 'unknown', source: 'none' })).toBe(2);
  });
});
