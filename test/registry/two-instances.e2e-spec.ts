import request from 'supertest';
import { createDevPki } from '@client-cert-auth/dev-pki';
import { runCli } from '../support/cli.runner';
import { createTestSchema } from '../support/postgres.schema';
import { describeUnless, POSTGRES_SKIP_REASON } from '../support/skip-unless';
import { rfc9440, SAMPLE_CLIENTS, startSample, type SampleHarness } from '../support/sample.harness';

const describePostgres = describeUnless(POSTGRES_SKIP_REASON);

/** Polls until `check` passes or `limitMs` elapses; returns the time it took. */
async function within(limitMs: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (Date.now() - started <= limitMs) {
    if (await check()) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`not within ${limitMs} ms`);
}

describePostgres('two sample backends on one PostgreSQL registry', () => {
  const pki = createDevPki({ clients: SAMPLE_CLIENTS });
  let schema: Awaited<ReturnType<typeof createTestSchema>>;
  let instances: SampleHarness[];

  const status = (instance: SampleHarness) =>
    request(instance.app.getHttpServer())
      .get('/orders')
      .set('Client-Cert', rfc9440(pki.clients.alice.der))
      .then((res) => ({ status: res.status, code: res.body.code as string | undefined }));

  beforeAll(async () => {
    schema = await createTestSchema('cca_twin');
    const settings = { CLIENT_CERT_DATABASE_URL: schema.url };
    instances = [await startSample('express', settings, { pki }), await startSample('fastify', settings, { pki })];
    await instances[0].admin.addAccount({ name: 'alice-app', roles: [] });
    await instances[0].admin.bind({ account: 'alice-app', kind: 'san-uri', value: 'spiffe://test.local/alice' });
  });
  afterAll(async () => {
    await Promise.all((instances ?? []).map((i) => i.close()));
    await schema?.drop();
  });

  it('both serve the enrolled client (each has it cached afterwards)', async () => {
    for (const instance of instances) expect(await status(instance)).toEqual({ status: 200, code: undefined });
  });

  it('refuses it on both within one second of `client-cert-auth unbind`', async () => {
    const cli = await runCli(['unbind', '--kind', 'san-uri', '--value', 'spiffe://test.local/alice', '--database', schema.url]);
    expect(cli).toEqual(expect.objectContaining({ code: 0 }));
    const took = await within(1000, async () => {
      const results = await Promise.all(instances.map(status));
      return results.every((r) => r.status === 403 && r.code === 'IDENTITY_UNKNOWN');
    });
    expect(took).toBeLessThanOrEqual(1000);
  });

  it('refuses a disabled account on both within one second of `accounts disable`', async () => {
    await instances[1].admin.bind({ account: 'alice-app', kind: 'san-uri', value: 'spiffe://test.local/alice' });
    await within(1000, async () => (await Promise.all(instances.map(status))).every((r) => r.status === 200));
    const cli = await runCli(['accounts', 'disable', 'alice-app', '--database', schema.url]);
    expect(cli.code).toBe(0);
    await within(1000, async () => {
      const results = await Promise.all(instances.map(status));
      return results.every((r) => r.status === 403 && r.code === 'ACCOUNT_DISABLED');
    });
  });
});
