import request from 'supertest';
import { startSample, type SampleHarness } from '../support/sample.harness';
import { describeUnless, POSTGRES_SKIP_REASON } from '../support/skip-unless';
import { BlockableDatabase } from './support/blockable.database';

const postgresUrl = process.env.CLIENT_CERT_TEST_POSTGRES_URL;
const describePostgres = describeUnless(POSTGRES_SKIP_REASON);

/** Polls until `check` passes: pools reconnect on their next query, not at a fixed moment. */
async function eventually(check: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

describePostgres.each(['express', 'fastify'] as const)('the sample /health route with PostgreSQL on %s', (adapter) => {
  let database: BlockableDatabase;
  let sample: SampleHarness;
  const health = () => request(sample.app.getHttpServer()).get('/health');

  beforeAll(async () => {
    database = await BlockableDatabase.create(postgresUrl!);
    sample = await startSample(adapter, { CLIENT_CERT_DATABASE_URL: database.url });
  });
  afterAll(async () => {
    await database?.unblock().catch(() => undefined);
    await sample?.close();
    await database?.drop();
  });

  it('is healthy while the registry answers', async () => {
    const res = await health().expect(200);
    expect(res.body).toEqual(
      expect.objectContaining({
        status: 'ok',
        info: expect.objectContaining({
          client_cert_registry: expect.objectContaining({ status: 'up' }),
          client_cert_revocation: expect.objectContaining({ status: 'up', mode: 'off', staleCrls: [] }),
        }),
      }),
    );
  });

  it('answers 503 naming the registry when the database is gone, and refuses unknown clients with 503', async () => {
    await database.block();
    const res = await health().expect(503);
    expect(res.body).toEqual(
      expect.objectContaining({
        status: 'error',
        error: { client_cert_registry: { status: 'down', message: expect.stringContaining('registry unreachable') } },
      }),
    );
    // Fail closed: no cached answer exists for this client, so the request cannot be decided.
    const refused = await request(sample.app.getHttpServer())
      .get('/orders')
      .set('Client-Cert', `:${sample.pki.clients.mallory.der.toString('base64')}:`)
      .expect(503);
    expect(refused.body.code).toBe('REGISTRY_UNAVAILABLE');
  });

  it('turns healthy again when the database is back', async () => {
    await database.unblock();
    await eventually(async () => {
      await health().expect(200);
    });
  });
});
