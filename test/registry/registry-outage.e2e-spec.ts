import request from 'supertest';
import { issueCertificate } from '@client-cert-auth/dev-pki';
import { createOutageDatabase } from '../support/postgres.database';
import { describeUnless, POSTGRES_SKIP_REASON } from '../support/skip-unless';
import { rfc9440, startSample, type SampleHarness } from '../support/sample.harness';

const describePostgres = describeUnless(POSTGRES_SKIP_REASON);

describePostgres.each(['express', 'fastify'] as const)('the sample on %s while its PostgreSQL registry is down', (adapter) => {
  let database: Awaited<ReturnType<typeof createOutageDatabase>>;
  let sample: SampleHarness;
  let serial = 0;

  /** A certificate never seen before, so no cache can answer for the registry. */
  const freshClient = () =>
    issueCertificate({
      subject: `CN=client-${++serial},O=Sample Clients`,
      issuer: sample.pki.intermediate,
      san: { uri: ['spiffe://test.local/fleet'] },
    });
  const get = () => request(sample.app.getHttpServer()).get('/orders').set('Client-Cert', rfc9440(freshClient().der));

  beforeAll(async () => {
    database = await createOutageDatabase('cca_outage');
    sample = await startSample(adapter, { CLIENT_CERT_DATABASE_URL: database.url });
    await sample.admin.addAccount({ name: 'fleet', roles: [] });
    await sample.admin.bind({ account: 'fleet', kind: 'san-uri', value: 'spiffe://test.local/fleet' });
  });
  afterAll(async () => {
    await database?.start();
    await sample?.close();
    await database?.drop();
  });

  it('answers 503 REGISTRY_UNAVAILABLE (never 200, never 500) while it is down, and 200 again once it is back', async () => {
    await get().expect(200);

    await database.stop();
    const down = await get();
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ statusCode: 503, error: 'Service Unavailable', code: 'REGISTRY_UNAVAILABLE' });

    await database.start();
    let recovered = 0;
    for (let attempt = 0; attempt < 40 && recovered !== 200; attempt++) {
      recovered = (await get()).status;
      if (recovered !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(recovered).toBe(200);
  });
});
