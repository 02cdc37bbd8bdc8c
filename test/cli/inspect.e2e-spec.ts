import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueCertificate } from '@client-cert-auth/dev-pki';
import { prepareDevEnvironment } from '../../src/dev/dev-pki.setup';
import { runCli } from '../support/cli.runner';

/** `client-cert-auth inspect`, run as an operator runs it: the real binary, real files. */
describe('client-cert-auth inspect', () => {
  // Each run starts the real CLI (ts-node, ~2-8 s on a loaded machine); registry cases run several.
  jest.setTimeout(180_000);
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
    // One after the other: four CLIs starting at once overrun the runner's timeout on a busy machine.
    const results = [];
    for (const value of [rfc9440(valid.der), rfc9440(expired.der), rfc9440(stranger.der), ':bm90IGEgY2VydGlmaWNhdGU=:']) {
      results.push(await inspect(value));
    }
    // Valid, but without --database no one knows whether the server accepts it (see below).
    expect(results.map((r) => [r.code, r.report.accepted, r.report.code])).toEqual([
      [0, false, 'OK'],
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
    const old = issueCertificate({
      subject: 'CN=old',
      issuer: root2020,
      notBefore: new Date('2020-01-01T00:00:00Z'),
      notAfter: new Date('2021-01-01T00:00:00Z'),
    });
    writeFileSync(join(dir, 'root2020.pem'), root2020.pem);
    const run = await runCli([
      'inspect',
      '--format',
      'rfc9440',
      '--ca',
      join(dir, 'root2020.pem'),
      '--json',
      '--value',
      rfc9440(old.der),
      '--at',
      '2020-06-01T00:00:00Z',
    ]);
    expect([run.code, JSON.parse(run.stdout).code]).toEqual([0, 'OK']);
  });

  it('reads a request the way a preset sends it (--preset nginx --header)', async () => {
    const valid = leaf();
    const escaped = encodeURIComponent(valid.pem);
    const run = await runCli([
      'inspect',
      '--preset',
      'nginx',
      '--ca',
      rootFile,
      '--json',
      '--header',
      `X-SSL-Client-Cert: ${escaped}`,
      '--header',
      'X-SSL-Client-Verify: SUCCESS',
    ]);
    expect([run.code, JSON.parse(run.stdout).code]).toEqual([0, 'OK']);
  });

  it("reads Caddy's unfilled placeholder as no certificate: CERT_MISSING, not HEADER_MALFORMED", async () => {
    const { code, report } = await inspect(':{http.request.tls.client.certificate_der_base64}:');
    expect([code, report.accepted, report.code]).toEqual([1, false, 'CERT_MISSING']);
  });

  describe('the registry step (--database)', () => {
    const enrol = async (database: string, ...commands: string[][]) => {
      for (const command of commands) {
        const run = await runCli([...command, '--database', database]);
        if (run.code !== 0) throw new Error(`${command.join(' ')}: ${run.stderr}`);
      }
    };

    it('says the registry was skipped without --database: VALID (registry not checked), never ACCEPTED', async () => {
      const json = await inspect(rfc9440(leaf().der));
      expect([json.code, json.report.accepted, json.report.verdict, json.report.registry]).toEqual([
        0,
        false,
        'VALID',
        expect.objectContaining({ checked: false }),
      ]);
      const text = await runCli(['inspect', '--format', 'rfc9440', '--ca', rootFile, '--value', rfc9440(leaf().der)]);
      expect(text.stdout).toMatch(/^verdict: VALID \(registry not checked/m);
      expect(text.stdout).not.toContain('ACCEPTED');
    });

    it('refuses an unbound certificate with IDENTITY_UNKNOWN, as the server does, and shows the nearest candidates', async () => {
      const database = `sqlite:${join(dir, 'unknown.sqlite')}`;
      await enrol(
        database,
        ['accounts', 'add', 'orders-app', '--roles', 'orders:read'],
        // Same kind, another value (a sibling service), and the same subject under another issuer scope.
        ['bind', '--account', 'orders-app', '--kind', 'san-uri', '--value', 'spiffe://ops.test/billing'],
        ['bind', '--account', 'orders-app', '--kind', 'subject', '--value', 'CN=orders-client,O=Clients', '--issuer', 'CN=Other CA,O=Ops'],
      );
      const { code, report } = await inspect(rfc9440(leaf().der), '--database', database);
      expect([code, report.accepted, report.verdict, report.code]).toEqual([1, false, 'REJECTED', 'IDENTITY_UNKNOWN']);
      expect(report.registry.match).toBeNull();
      expect(report.registry.candidates).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            account: 'orders-app',
            kind: 'subject',
            why: 'issuer-scope-differs',
            issuerScope: expect.stringMatching(/^cn=other ca,o=ops$/i),
          }),
          expect.objectContaining({
            account: 'orders-app',
            kind: 'san-uri',
            value: 'spiffe://ops.test/billing',
            why: 'value-differs',
            certificateValue: 'spiffe://ops.test/orders',
          }),
        ]),
      );
      const text = await runCli(['inspect', '--format', 'rfc9440', '--ca', rootFile, '--value', rfc9440(leaf().der), '--database', database]);
      expect(text.stdout).toMatch(/^verdict: REJECTED \(IDENTITY_UNKNOWN\)/m);
      expect(text.stdout).toContain('spiffe://ops.test/billing');
    });

    it('accepts a bound certificate: ACCEPTED with the binding that matched and the roles; ROLE_MISSING for a role it lacks', async () => {
      const database = `sqlite:${join(dir, 'bound.sqlite')}`;
      await enrol(
        database,
        ['accounts', 'add', 'orders-app', '--roles', 'orders:read,orders:write'],
        ['bind', '--account', 'orders-app', '--kind', 'san-uri', '--value', 'spiffe://ops.test/orders'],
      );
      const { code, report } = await inspect(rfc9440(leaf().der), '--database', database);
      expect([code, report.accepted, report.verdict, report.code]).toEqual([0, true, 'ACCEPTED', 'OK']);
      expect(report.registry.match).toEqual(
        expect.objectContaining({
          account: expect.objectContaining({ name: 'orders-app', status: 'active', roles: ['orders:read', 'orders:write'] }),
          binding: expect.objectContaining({ kind: 'san-uri', value: 'spiffe://ops.test/orders' }),
        }),
      );
      // Inspect only reads: the account's last-seen time is the server's to write.
      const accounts = JSON.parse((await runCli(['accounts', 'list', '--json', '--database', database])).stdout);
      expect(accounts[0].lastSeenAt ?? null).toBeNull();
      const lacking = await inspect(rfc9440(leaf().der), '--database', database, '--require-roles', 'orders:admin');
      expect([lacking.code, lacking.report.accepted, lacking.report.code]).toEqual([1, false, 'ROLE_MISSING']);

      await enrol(database, ['accounts', 'disable', 'orders-app']);
      const disabled = await inspect(rfc9440(leaf().der), '--database', database);
      expect([disabled.code, disabled.report.code]).toEqual([1, 'ACCOUNT_DISABLED']);
    });
  });

  describe('--value-file', () => {
    it("reads the sample's own .header files ('Name: value')", async () => {
      const dev = prepareDevEnvironment({ DATA_DIR: join(dir, 'sample-data') })!;
      const run = await runCli([
        'inspect',
        '--format',
        'rfc9440',
        '--ca',
        join(dev.dir, 'root.pem'),
        '--intermediate',
        join(dev.dir, 'intermediate.pem'),
        '--json',
        '--value-file',
        join(dev.dir, 'registered.header'),
      ]);
      expect([run.code, JSON.parse(run.stdout).code, JSON.parse(run.stdout).verdict]).toEqual([0, 'OK', 'VALID']);
    });

    it('says which header the format reads when the file names another one', async () => {
      const file = join(dir, 'renamed.header');
      writeFileSync(file, `X-Client-Cert: ${rfc9440(leaf().der)}\n`);
      const run = await runCli(['inspect', '--format', 'rfc9440', '--ca', rootFile, '--json', '--value-file', file]);
      const report = JSON.parse(run.stdout);
      expect([run.code, report.code]).toEqual([1, 'CERT_MISSING']);
      expect(report.hint).toEqual(expect.stringContaining('Client-Cert'));
      expect(report.hint).toEqual(expect.stringContaining('X-Client-Cert'));
    });
  });

  it('exits 2 on an unknown preset, naming the presets there are', async () => {
    const run = await runCli(['inspect', '--preset', 'carrier-pigeon', '--ca', rootFile, '--value', 'x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--preset.*nginx/);
  });

  it.each([
    ['no --ca', ['inspect', '--format', 'rfc9440', '--value', ':AA==:']],
    ['an unknown format', ['inspect', '--format', 'carrier-pigeon', '--ca', '/dev/null', '--value', 'x']],
    ['an unknown flag', ['inspect', '--colour']],
    [
      'a --database SQLite file that does not exist (never created by inspect)',
      ['inspect', '--ca', '/dev/null', '--value', 'x', '--database', 'sqlite:/nonexistent/registry.sqlite'],
    ],
    ['an unknown --revocation mode', ['inspect', '--ca', '/dev/null', '--value', 'x', '--revocation', 'sometimes']],
  ])('exits 2 on a usage error: %s', async (_label, args) => {
    expect((await runCli(args)).code).toBe(2);
  });
});
