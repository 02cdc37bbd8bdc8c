// Rename to expected-header.e2e-spec.ts once test/observability/guard-hint.patch is applied to the guards.
import request from 'supertest';
import { rfc9440, startSample, type SampleHarness } from '../support/sample.harness';

/** A 401 names the certificate header the backend expected, from configuration only. */
describe.each(['express', 'fastify'] as const)('Client-Cert-Expected on %s', (adapter) => {
  let sample: SampleHarness;

  beforeAll(async () => {
    sample = await startSample(adapter);
  });
  afterAll(() => sample.close());

  it.each(['/orders', '/whoami'])('names the expected header on a 401 from %s without echoing input', async (path) => {
    const res = await request(sample.app.getHttpServer()).get(path).set('X-Client-Cert', 'echo-me').expect(401);
    expect(res.headers['client-cert-expected']).toBe('client-cert');
    expect(JSON.stringify(res.headers)).not.toContain('echo-me');
  });

  it('sends no hint on 403', async () => {
    const res = await request(sample.app.getHttpServer()).get('/orders').set('Client-Cert', rfc9440(sample.pki.clients.mallory.der)).expect(403);
    expect(res.headers['client-cert-expected']).toBeUndefined();
  });
});
