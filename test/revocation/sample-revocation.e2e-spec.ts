import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { runCli } from '../support/cli.runner';
import { rfc9440, startSample, type SampleHarness } from '../support/sample.harness';
import { OpensslCa, type IssuedCert } from './support/openssl-ca';

/** Polls until `check` passes or `limitMs` elapses. */
async function eventually(limitMs: number, check: () => Promise<boolean>): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > limitMs) throw new Error(`not within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The whole path, as operators run it: a CA managed with `openssl ca`, its CRL file given to the
 * sample through CLIENT_CERT_CRL_FILES in hard-fail mode, and the registry's deny-list managed
 * with the CLI.
 */
describe.each(['express', 'fastify'] as const)('revocation through the sample backend on %s', (adapter) => {
  const dir = mkdtempSync(join(tmpdir(), 'cca-revocation-e2e-'));
  const ca = OpensslCa.create(join(dir, 'ca'), { name: 'E2E Client CA' });
  const clients: Record<string, IssuedCert> = {};
  let crlFile: string;
  let sample: SampleHarness;
  let database: string;

  const status = (name: string) =>
    request(sample.app.getHttpServer())
      .get('/orders')
      .set('Client-Cert', rfc9440(clients[name].der))
      .then((res) => `${res.status} ${res.body.code ?? ''}`.trim());

  beforeAll(async () => {
    for (const name of ['alice', 'bob', 'carol']) clients[name] = ca.issue(name);
    crlFile = ca.gencrl('ca.crl', { hours: 1 });
    database = `sqlite:${join(dir, 'registry.sqlite')}`;
    sample = await startSample(adapter, {
      CLIENT_CERT_CA_FILES: ca.cert.certPath,
      CLIENT_CERT_INTERMEDIATE_FILES: '',
      CLIENT_CERT_REVOCATION_MODE: 'hard-fail',
      CLIENT_CERT_CRL_FILES: crlFile,
      CLIENT_CERT_CRL_REFRESH_SECONDS: '1',
      CLIENT_CERT_DATABASE_URL: database,
    });
    await sample.admin.addAccount({ name: 'partners', roles: [] });
    for (const name of Object.keys(clients)) await sample.admin.bind({ account: 'partners', kind: 'subject', value: `CN=${name}` });
  });
  afterAll(async () => {
    await sample?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets every certificate the CRL does not list through', async () => {
    expect(await Promise.all(['alice', 'bob', 'carol'].map(status))).toEqual(['200', '200', '200']);
  });

  it('refuses a certificate revoked with `openssl ca -revoke` within one refresh interval, without a restart', async () => {
    ca.revoke(clients.bob);
    ca.gencrl('ca.crl', { hours: 1 });
    await eventually(2500, async () => (await status('bob')) === '403 CERT_REVOKED');
    expect(await status('alice')).toBe('200');
  });

  it('refuses a certificate put on the local deny-list with the CLI', async () => {
    const cli = await runCli(['deny', '--cert', clients.carol.certPath, '--reason', 'laptop stolen', '--database', database]);
    expect(cli.code).toBe(0);
    await eventually(2000, async () => (await status('carol')) === '403 CERT_REVOKED');
    expect(await status('alice')).toBe('200');
  });

  it('answers 503 REVOCATION_UNAVAILABLE in hard-fail for a certificate whose issuer publishes no CRL it has', async () => {
    const team = ca.subordinate(join(dir, 'team-ca'), { name: 'E2E Team CA' });
    const dave = team.issue('dave');
    await sample.admin.bind({ account: 'partners', kind: 'subject', value: 'CN=dave' });
    const res = await request(sample.app.getHttpServer()).get('/orders').set('Client-Cert', rfc9440(dave.der)).set('Client-Cert-Chain', rfc9440(team.cert.der));
    expect([res.status, res.body.code]).toEqual([503, 'REVOCATION_UNAVAILABLE']);
  });

  it('keeps the newer CRL when an older one is put back (no rollback to a stale list)', async () => {
    const past = Date.now() - 2 * 3600_000;
    ca.gencrl('ca.crl', { window: { last: new Date(past), next: new Date(past + 3600_000) } });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await status('bob')).toBe('403 CERT_REVOKED');
    expect(await status('alice')).toBe('200');
  });
});
