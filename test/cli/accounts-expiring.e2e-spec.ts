import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { issueCertificate } from '@client-cert-auth/dev-pki';
import { TypeOrmClientCertRegistry } from '@client-cert-auth/registry';
import { runCli } from '../support/cli.runner';
import { createTestSchema, POSTGRES_URL } from '../support/postgres.schema';
import { rfc9440, startSample, type SampleHarness } from '../support/sample.harness';

const DAY = 86_400_000;
const databases = [{ name: 'sqlite', postgres: false }, ...(POSTGRES_URL ? [{ name: 'postgres', postgres: true }] : [])];

/**
 * `client-cert-auth accounts list --expiring`, run as an operator runs it, on the registry of a
 * real sample backend that saw one certificate expiring in 10 days and one valid for a year.
 */
describe.each(databases)('client-cert-auth accounts list --expiring on $name', ({ postgres }) => {
  // Each run starts the real CLI (ts-node, ~2-8 s on a loaded machine).
  jest.setTimeout(180_000);
  let sample: SampleHarness;
  let database: string;
  let schema: Awaited<ReturnType<typeof createTestSchema>> | undefined;
  // Whole seconds: a certificate's notAfter has no fraction.
  const soon = new Date(Math.floor((Date.now() + 10 * DAY) / 1000) * 1000);
  let soonFingerprint: string;

  beforeAll(async () => {
    schema = postgres ? await createTestSchema('cc_expiring') : undefined;
    sample = await startSample('express', schema ? { CLIENT_CERT_DATABASE_URL: schema.url } : {});
    database = schema?.url ?? `sqlite:${join(sample.dir, 'registry.sqlite')}`;
    const enroll = async (name: string, notAfter?: Date) => {
      await sample.admin.addAccount({ name: `${name}-app`, roles: [] });
      await sample.admin.bind({ account: `${name}-app`, kind: 'san-uri', value: `spiffe://test.local/${name}` });
      const cert = issueCertificate({
        subject: `CN=${name},O=Sample Clients`,
        issuer: sample.pki.intermediate,
        san: { uri: [`spiffe://test.local/${name}`] },
        notAfter,
      });
      await request(sample.app.getHttpServer()).get('/orders').set('Client-Cert', rfc9440(cert.der)).expect(200);
      return cert;
    };
    soonFingerprint = createHash('sha256')
      .update((await enroll('expiring', soon)).der)
      .digest('hex');
    await enroll('renewed');
    await sample.admin.addAccount({ name: 'idle-app', roles: [] });
    await sample.app.get(TypeOrmClientCertRegistry).flushLastSeen();
  });
  afterAll(async () => {
    await sample?.close();
    await schema?.drop();
  });

  it('lists the account whose last-seen certificate expires within 30 days, with --json', async () => {
    const run = await runCli(['accounts', 'list', '--expiring', '30d', '--json', '--database', database]);
    expect(run.code).toBe(0);
    const listed = JSON.parse(run.stdout) as Array<{ name: string; bindings: Array<Record<string, unknown>> }>;
    expect(listed.map((a) => a.name)).toEqual(['expiring-app']);
    expect(listed[0].bindings).toEqual([
      expect.objectContaining({
        kind: 'san-uri',
        value: 'spiffe://test.local/expiring',
        lastCertificate: { fingerprintSha256: soonFingerprint, notAfter: soon.toISOString() },
      }),
    ]);
  });

  it('prints one line per expiring binding, and nothing within 5 days', async () => {
    const twoWeeks = await runCli(['accounts', 'list', '--expiring', '2w', '--database', database]);
    expect(twoWeeks.code).toBe(0);
    expect(twoWeeks.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^expiring-app  active  san-uri spiffe://test.local/expiring  expires ${soon.toISOString()} \\(in (9d 23h|10d 0h)\\)  sha256=${soonFingerprint}  \\(`,
        ),
      ),
    ]);
    const fiveDays = await runCli(['accounts', 'list', '--expiring', '5d', '--database', database]);
    expect([fiveDays.code, fiveDays.stdout.trim()]).toEqual([0, 'no last-seen certificate expires within 5d']);
    const json = await runCli(['accounts', 'list', '--expiring', '120h', '--json', '--database', database]);
    expect([json.code, JSON.parse(json.stdout)]).toEqual([0, []]);
  });

  it('shows the last-seen certificate in the plain list too', async () => {
    const run = await runCli(['accounts', 'list', '--json', '--database', database]);
    const accounts = JSON.parse(run.stdout) as Array<{ name: string; bindings: Array<{ lastCertificate: unknown }> }>;
    const byName = Object.fromEntries(accounts.map((a) => [a.name, a]));
    expect(byName['expiring-app'].bindings[0].lastCertificate).toEqual({ fingerprintSha256: soonFingerprint, notAfter: soon.toISOString() });
    expect(byName['renewed-app'].bindings[0].lastCertificate).toEqual(expect.objectContaining({ fingerprintSha256: expect.stringMatching(/^[0-9a-f]{64}$/) }));
    expect(byName['idle-app'].bindings).toEqual([]);
  });
});

describe('client-cert-auth accounts list --expiring with a bad value', () => {
  jest.setTimeout(180_000);
  // The full table of refused values is in duration.parser.spec.ts; two runs of the real CLI each here.
  it.each([['30x'], ['-1d']])('refuses "%s" as a usage error (exit 2) before touching the database', async (value) => {
    const file = join(tmpdir(), `cca-never-${process.pid}-${Date.now()}.sqlite`);
    const plain = await runCli(['accounts', 'list', '--expiring', value, '--database', `sqlite:${file}`]);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('--expiring');
    expect(plain.stderr).toMatch(/30d, 12h or 2w/);
    expect(existsSync(file)).toBe(false);
    const json = await runCli(['accounts', 'list', '--expiring', value, '--json', '--database', `sqlite:${file}`]);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stderr)).toEqual({ error: { reason: 'INVALID', message: expect.stringContaining('--expiring') } });
  });
});
