import request from 'supertest';
import { issueCertificate } from '@client-cert-auth/dev-pki';
import { TypeOrmClientCertRegistry } from '@client-cert-auth/registry';
import { rfc9440, startSample, type SampleHarness } from '../support/sample.harness';
import { sampleValue } from './support/prometheus.text';

const GAUGE = 'client_cert_account_cert_expiry_timestamp_seconds';
const DAY = 86_400_000;

/**
 * The soonest expiry per account, on the sample's own /metrics route: a request with a
 * certificate expiring in 10 days puts that date on the gauge once last-seen is flushed.
 */
describe.each(['express', 'fastify'] as const)('certificate expiry gauge on %s', (adapter) => {
  let sample: SampleHarness;
  const scrape = async () => (await request(sample.app.getHttpServer()).get('/metrics').expect(200)).text;
  const seconds = (days: number) => Math.floor((Date.now() + days * DAY) / 1000);
  const send = (name: string, notAfterSeconds: number) => {
    const cert = issueCertificate({
      subject: `CN=${name},O=Sample Clients`,
      issuer: sample.pki.intermediate,
      san: { uri: [`spiffe://test.local/${name}`] },
      notAfter: new Date(notAfterSeconds * 1000),
    });
    return request(sample.app.getHttpServer()).get('/orders').set('Client-Cert', rfc9440(cert.der));
  };

  beforeAll(async () => {
    sample = await startSample(adapter);
    for (const name of ['soon', 'later', 'paused']) {
      await sample.admin.addAccount({ name: `${name}-app`, roles: [] });
      await sample.admin.bind({ account: `${name}-app`, kind: 'san-uri', value: `spiffe://test.local/${name}` });
    }
  });
  afterAll(() => sample.close());

  it('exposes the notAfter of the certificate an account last used, after a request and a flush', async () => {
    expect(await scrape()).not.toContain(`${GAUGE}{account="soon-app"}`);
    const soon = seconds(10);
    const later = seconds(200);
    await send('soon', soon).expect(200);
    await send('later', later).expect(200);
    await sample.app.get(TypeOrmClientCertRegistry).flushLastSeen();

    const text = await scrape();
    expect(text).toContain(`# TYPE ${GAUGE} gauge`);
    expect(sampleValue(text, GAUGE, { account: 'soon-app' })).toBe(soon);
    expect(sampleValue(text, GAUGE, { account: 'later-app' })).toBe(later);
  });

  it('follows a renewed certificate under the same binding, and drops a disabled account', async () => {
    const before = sampleValue(await scrape(), GAUGE, { account: 'soon-app' });
    await send('soon', seconds(300)).expect(200);
    await send('paused', seconds(3)).expect(200);
    await sample.app.get(TypeOrmClientCertRegistry).flushLastSeen();
    // One binding, now last seen with the renewed certificate: its notAfter is the account's.
    expect(sampleValue(await scrape(), GAUGE, { account: 'soon-app' })).toBeGreaterThan(before);
    expect(sampleValue(await scrape(), GAUGE, { account: 'paused-app' })).toBeGreaterThan(0);

    await sample.admin.disable('paused-app');
    expect(await scrape()).not.toContain('account="paused-app"');
  });
});
