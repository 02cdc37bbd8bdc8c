import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import type { BindingKind } from '@client-cert-auth/core';
import { parseCertificate } from '@client-cert-auth/core';
import { createPrincipal } from '@client-cert-auth/core';
import { issueCertificate, type IssuedCertificate } from '@client-cert-auth/dev-pki';
import { createRegistry, type RegistryHandle } from '../factory/create-registry';
import { registerRegistryCommands } from '../cli/registry.commands';
import type { CliIo } from '../cli/registry-cli.context';
import { quietLogger, uniq } from '../testing/principal.builder';
import { type TestDatabase, testDrivers } from '../testing/registry-test.drivers';

/** The principal the pipeline would build for this certificate (leaf, issuing CA). */
function principalOf(leaf: IssuedCertificate, ca: IssuedCertificate) {
  return createPrincipal([parseCertificate(leaf.der), parseCertificate(ca.der)], { profile: 'test', format: 'pem' });
}

/** Runs one CLI command line; returns its output and exit code. */
async function cli(database: string, ...args: string[]): Promise<{ out: string; err: string; code: number }> {
  const result = { out: '', err: '', code: 0 };
  const io: CliIo = { out: (t) => (result.out += `${t}\n`), err: (t) => (result.err += `${t}\n`), env: {}, fail: (c) => (result.code = c) };
  const program = registerRegistryCommands(new Command('client-cert-auth').exitOverride(), io);
  await program.parseAsync(['node', 'client-cert-auth', ...args, '--database', database]);
  return result;
}

describe.each(testDrivers())('binding real certificates on $name (admin service and CLI)', (driver) => {
  let db: TestDatabase;
  let handle: RegistryHandle;
  let url: string;
  let dir: string;
  const ca = issueCertificate({ subject: 'CN=Registry Test CA,O=Example', ca: true });

  beforeAll(async () => {
    db = await driver.create();
    handle = await createRegistry({ database: db.database, lastSeenFlushSeconds: 0, logger: quietLogger() });
    const d = db.database;
    url = d.type === 'sqlite' ? `sqlite:${d.path}` : `${d.url}${d.url.includes('?') ? '&' : '?'}schema=${d.schema}`;
    dir = mkdtempSync(join(tmpdir(), 'cc-registry-certs-'));
  });
  afterAll(async () => {
    await handle?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const kinds: BindingKind[] = ['fingerprint', 'spki', 'issuer-serial', 'spiffe', 'san-uri', 'san-dns', 'san-email', 'subject'];

  it.each(kinds)("derives a %s binding from a certificate file that matches the pipeline's principal", async (kind) => {
    const name = uniq(kind);
    const leaf = issueCertificate({
      subject: `CN=${name} Client,OU=Ops,O=Example`,
      issuer: ca,
      san: { uri: [`spiffe://example.org/${name}`], dns: [`${name}.example.com`], email: [`${name}@example.com`] },
    });
    const file = join(dir, `${name}.pem`);
    // The leaf and its issuing CA: the binding is scoped to that CA's key without being asked.
    writeFileSync(file, leaf.pem + ca.pem);
    expect(await cli(url, 'accounts', 'add', name, '--roles', 'orders:read')).toMatchObject({ code: 0 });
    const bound = await cli(url, 'bind', '--account', name, '--kind', kind, '--cert', file, '--json');
    expect(bound).toMatchObject({ code: 0, err: '' });
    expect(JSON.parse(bound.out)).toMatchObject({ account: name, kind, issuerScope: `spki:${parseCertificate(ca.der).publicKey.sha256}` });
    await expect(handle.registry.resolve(principalOf(leaf, ca))).resolves.toMatchObject({ account: { name, roles: ['orders:read'] }, binding: { kind } });
  });

  describe('issuer scopes tied to a CA key', () => {
    const partnerRoot = issueCertificate({ subject: 'CN=Partner Root', ca: true });
    // Same name as the test CA, another key.
    const copycat = issueCertificate({ subject: 'CN=Registry Test CA,O=Example', issuer: partnerRoot, ca: true });

    it('--issuer-spki: matches the leaf of that CA, not a leaf under a CA copying its name', async () => {
      const name = uniq('spki-scope');
      const caKey = parseCertificate(ca.der).publicKey.sha256;
      await cli(url, 'accounts', 'add', name);
      const bound = await cli(url, 'bind', '--account', name, '--kind', 'subject', '--value', `CN=${name}`, '--issuer-spki', caKey.toUpperCase(), '--json');
      expect(bound).toMatchObject({ code: 0, err: '' });
      expect(JSON.parse(bound.out)).toMatchObject({ issuerScope: `spki:${caKey}` });
      const genuine = issueCertificate({ subject: `CN=${name}`, issuer: ca });
      const forged = issueCertificate({ subject: `CN=${name}`, issuer: copycat });
      await expect(handle.registry.resolve(principalOf(genuine, ca))).resolves.toMatchObject({ account: { name } });
      const forgedPrincipal = createPrincipal([parseCertificate(forged.der), parseCertificate(copycat.der), parseCertificate(partnerRoot.der)], {
        profile: 'test',
        format: 'pem',
      });
      expect(forgedPrincipal.issuer).toBe(principalOf(genuine, ca).issuer);
      await expect(handle.registry.resolve(forgedPrincipal)).resolves.toBeNull();
    });

    it('--issuer-cert takes the key of a CA certificate and refuses a leaf', async () => {
      const name = uniq('cert-scope');
      await handle.admin.addAccount({ name });
      const caFile = join(dir, `${name}-ca.pem`);
      writeFileSync(caFile, ca.pem);
      expect(
        JSON.parse((await cli(url, 'bind', '--account', name, '--kind', 'san-dns', '--value', `${name}.example`, '--issuer-cert', caFile, '--json')).out),
      ).toMatchObject({
        issuerScope: `spki:${parseCertificate(ca.der).publicKey.sha256}`,
      });
      const leaf = issueCertificate({ subject: `CN=${name}`, issuer: ca });
      await expect(handle.admin.bind({ account: name, kind: 'subject', value: `CN=${name}`, issuerCertificate: Buffer.from(leaf.pem) })).rejects.toMatchObject({
        reason: 'INVALID',
      });
      await expect(
        handle.admin.bind({ account: name, kind: 'subject', value: `CN=${name}`, issuer: 'CN=x', issuerSpki: 'ab'.repeat(32) }),
      ).rejects.toMatchObject({ reason: 'INVALID' });
    });

    it('warns on a name-based binding without a key scope, and the registry counts them for the start-up checks', async () => {
      const name = uniq('loose');
      await handle.admin.addAccount({ name });
      const before = await handle.registry.describeBindings();
      const unscoped = await cli(url, 'bind', '--account', name, '--kind', 'san-dns', '--value', `${name}.example`);
      expect(unscoped.code).toBe(0);
      expect(unscoped.err).toMatch(/warning: this san-dns binding is not scoped to an issuer/);
      const byName = await cli(url, 'bind', '--account', name, '--kind', 'subject', '--value', `CN=${name}`, '--issuer', 'CN=Registry Test CA,O=Example');
      expect(byName.err).toMatch(/scoped by issuer name only/);
      expect((await cli(url, 'bind', '--account', name, '--kind', 'fingerprint', '--value', 'ef'.repeat(32))).err).toBe('');
      await expect(handle.registry.describeBindings()).resolves.toEqual({ unscoped: before.unscoped + 1, scopedByName: before.scopedByName + 1 });
    });
  });

  it('refuses a SAN kind when the certificate carries several names of it', async () => {
    const name = uniq('multi');
    await handle.admin.addAccount({ name });
    const leaf = issueCertificate({ subject: `CN=${name}`, issuer: ca, san: { dns: ['a.example.com', 'b.example.com'] } });
    await expect(handle.admin.bind({ account: name, kind: 'san-dns', certificate: Buffer.from(leaf.pem) })).rejects.toMatchObject({ reason: 'INVALID' });
  });

  it('denies and undenies by certificate file; a CLI unbind is seen by a running registry within a second', async () => {
    const name = uniq('cut');
    const leaf = issueCertificate({ subject: `CN=${name}`, issuer: ca });
    const file = join(dir, `${name}.der`);
    writeFileSync(file, leaf.der);
    const principal = principalOf(leaf, ca);
    await cli(url, 'accounts', 'add', name);
    await cli(url, 'bind', '--account', name, '--kind', 'spki', '--cert', file);
    await expect(handle.registry.resolve(principal)).resolves.not.toBeNull();

    expect(await cli(url, 'deny', '--cert', file, '--reason', 'lost laptop')).toMatchObject({ code: 0 });
    await waitFor(() => handle.registry.isDenied(principal));
    expect(JSON.parse((await cli(url, 'denied', '--json')).out)).toEqual(
      expect.arrayContaining([expect.objectContaining({ value: principal.fingerprintSha256, reason: 'lost laptop' })]),
    );
    expect(await cli(url, 'undeny', '--cert', file)).toMatchObject({ code: 0 });
    await waitFor(async () => !(await handle.registry.isDenied(principal)));

    const started = Date.now();
    expect(await cli(url, 'unbind', '--kind', 'spki', '--cert', file)).toMatchObject({ code: 0 });
    await waitFor(async () => (await handle.registry.resolve(principal)) === null);
    expect(Date.now() - started).toBeLessThan(1000 + 500 /* CLI connect + migrate check */);
  });

  it.each([
    [['bind', '--account', 'x', '--kind', 'nope', '--value', 'v'], 2, /--kind must be one of/],
    [['bind', '--account', 'x', '--kind', 'spki'], 2, /exactly one of --cert FILE or --value V/],
    [['bind', '--account', 'nobody', '--kind', 'san-dns', '--value', 'a.example'], 1, /no account named "nobody"/],
    [['accounts', 'disable', 'nobody'], 1, /no account named/],
    [['deny', '--issuer', 'CN=x'], 2, /--issuer and --serial go together/],
    [['bind', '--account', 'x', '--kind', 'spki', '--cert', '/nonexistent.pem'], 2, /cannot read \/nonexistent.pem: ENOENT/],
  ])('CLI %j exits %i with a message', async (args, code, message) => {
    const result = await cli(url, ...(args as string[]));
    expect(result.code).toBe(code);
    expect(result.err).toMatch(message as RegExp);
  });

  it('CLI manages accounts with --json output', async () => {
    const name = uniq('json');
    expect(JSON.parse((await cli(url, 'accounts', 'add', name, '--roles', 'b,a', '--json')).out)).toMatchObject({ name, roles: ['a', 'b'], status: 'active' });
    expect(JSON.parse((await cli(url, 'accounts', 'disable', name, '--json')).out)).toMatchObject({ status: 'disabled' });
    expect(JSON.parse((await cli(url, 'accounts', 'enable', name, '--json')).out)).toMatchObject({ status: 'active' });
    expect(JSON.parse((await cli(url, 'accounts', 'roles', name, 'x', 'y,z', '--json')).out)).toMatchObject({ roles: ['x', 'y', 'z'] });
    const bind = await cli(
      url,
      'bind',
      '--account',
      name,
      '--kind',
      'subject',
      '--value',
      'CN=Json, O=Example',
      '--not-after',
      '2099-01-01T00:00:00Z',
      '--json',
    );
    expect(JSON.parse(bind.out)).toMatchObject({ value: 'CN=json,O=example', notAfter: '2099-01-01T00:00:00.000Z' });
    const list = JSON.parse((await cli(url, 'accounts', 'list', '--json')).out) as Array<{ name: string; bindings: unknown[] }>;
    expect(list.find((a) => a.name === name)?.bindings).toHaveLength(1);
    expect((await cli(url, 'accounts', 'list')).out).toContain(`${name}  active  roles=[x,y,z]`);
    expect(JSON.parse((await cli(url, 'migrate', '--json')).out)).toEqual({ applied: [] });
  });
});

async function waitFor(check: () => Promise<boolean>, ms = 1000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
