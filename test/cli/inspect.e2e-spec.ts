import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueCertificate } from '@client-cert-auth/dev-pki';
import { runCli } from '../support/cli.runner';

/** `client-cert-auth inspect`, run as an operator runs it: the real binary, real files. */
describe('client-cert-auth inspect', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cca-inspect-'));
  const root = issueCertificate({ subject: 'CN=Inspect Root,O=Ops', ca: { pathLen: 0 } });
  const rootFile = join(dir, 'root.pem');
  writeFileSync(rootFile, root.pem);
  const leaf = (extra: Partial<Parameters<typeof issueCertificate>[0]> = {}) =>
    issueCertificate({ subject: 'CN=orders-client,O=Clients', issuer: root, san: { uri: ['spiffe://ops.test/orders'] }, ...extra });
  const rfc9440 = (der: Buffer) => `:${der.toString('base64')}:`;
  const inspect = async (value: string, ...flags: string[]) => {
    const run = await runCli(['inspect', '--format', 'rfc9440', '--ca', rootFile, '--json', '--value', value, ...flags]);
    return { code: run.code, report: run.stdout ? JSON.parse(run.stdout) : undefined, stderr: run.stderr };
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives four distinct verdicts for a valid, an expired, an untrusted and a malformed header', async () => {
    const valid = leaf();
    const expired = leaf({ notBefore: new Date(Date.now() - 3 * 86400_000), notAfter: new Date(Date.now() - 86400_000) });
    const stranger = issueCertificate({ subject: 'CN=orders-client,O=Clients', issuer: issueCertificate({ subject: 'CN=Inspect Root,O=Ops', ca: true }) });
    const results = await Promise.all([
      inspect(rfc9440(valid.der)),
      inspect(rfc9440(expired.der)),
      inspect(rfc9440(stranger.der)),
      inspect(':bm90IGEgY2VydGlmaWNhdGU=:'),
    ]);
    expect(results.map((r) => [r.code, r.report.accepted, r.report.code])).toEqual([
      [0, true, 'OK'],
      [1, false, 'CERT_EXPIRED'],
      [1, false, 'CERT_UNTRUSTED'],
      [1, false, 'HEADER_MALFORMED'],
    ]);
    expect(results[0].report.principal).toEqual(
      expect.objectContaining({
        subject: 'CN=orders-client,O=Clients',
        fingerprintSha256: createHash('sha256').update(valid.der).digest('hex'),
        san: expect.objectContaining({ uri: ['spiffe://ops.test/orders'] }),
      }),
    );
    // A refused certificate still shows who it claims to be: that is what an operator asks about.
    expect(results[1].report.principal.subject).toBe('CN=orders-client,O=Clients');
    expect(results[3].report.principal).toBeNull();
  });

  it('accepts the expired certificate when asked about a time inside its validity (--at)', async () => {
    const root2020 = issueCertificate({ subject: 'CN=Old Root', ca: true, notBefore: new Date('2019-01-01T00:00:00Z') });
    const old = issueCertificate({ subject: 'CN=old', issuer: root2020, notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z') });
    writeFileSync(join(dir, 'root2020.pem'), root2020.pem);
    const run = await runCli(['inspect', '--format', 'rfc9440', '--ca', join(dir, 'root2020.pem'), '--json', '--value', rfc9440(old.der), '--at', '2020-06-01T00:00:00Z']);
    expect([run.code, JSON.parse(run.stdout).code]).toEqual([0, 'OK']);
  });

  it('reads a request the way a preset sends it (--preset nginx --header)', async () => {
    const valid = leaf();
    const escaped = encodeURIComponent(valid.pem);
    const run = await runCli([
      'inspect', '--preset', 'nginx', '--ca', rootFile, '--json',
      '--header', `X-SSL-Client-Cert: ${escaped}`,
      '--header', 'X-SSL-Client-Verify: SUCCESS',
    ]);
    expect([run.code, JSON.parse(run.stdout).code]).toEqual([0, 'OK']);
  });

  it("reads Caddy's unfilled placeholder as no certificate: CERT_MISSING, not HEADER_MALFORMED", async () => {
    const { code, report } = await inspect(':{http.request.tls.client.certificate_der_base64}:');
    expect([code, report.accepted, report.code]).toEqual([1, false, 'CERT_MISSING']);
  });

  it.each([
    ['no --ca', ['inspect', '--format', 'rfc9440', '--value', ':AA==:']],
    ['an unknown format', ['inspect', '--format', 'carrier-pigeon', '--ca', '/dev/null', '--value', 'x']],
    ['an unknown flag', ['inspect', '--colour']],
  ])('exits 2 on a usage error: %s', async (_label, args) => {
    expect((await runCli(args)).code).toBe(2);
  });
});
