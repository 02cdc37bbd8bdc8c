import { issueCertificate } from '@client-cert-auth/dev-pki';
import { ClientCertAuthenticator } from '@client-cert-auth/core';
import { resolveOptions } from '@client-cert-auth/core';
import { createRegistry, type RegistryHandle } from '../factory/create-registry';
import { quietLogger, uniq } from '../testing/principal.builder';
import { type TestDatabase, testDrivers } from '../testing/registry-test.drivers';

const root = issueCertificate({ subject: 'CN=Warm Registry Root,O=Test', key: 'p-256', ca: true });

/**
 * The authenticator's warm path against the real registry: every admin write must reach it at
 * once (same process), through the registry's generation.
 */
describe.each(testDrivers())('warm path with TypeOrmClientCertRegistry on $name', (driver) => {
  let db: TestDatabase;
  let handle: RegistryHandle;
  let authenticator: ClientCertAuthenticator;

  beforeAll(async () => {
    db = await driver.create();
    handle = await createRegistry({ database: db.database, lastSeenFlushSeconds: 0, logger: quietLogger() });
    authenticator = new ClientCertAuthenticator(
      resolveOptions({
        proxies: [{ name: 'waf', from: ['127.0.0.1/32'], format: 'rfc9440' }],
        trustAnchors: { pem: [root.pem] },
        revocation: { mode: 'off' },
        decisions: { accepted: 'off', refused: 'off' },
      }),
      handle.registry,
    );
  });
  afterAll(async () => {
    await handle?.close();
    await db?.drop();
  });

  /** A fresh account bound by SAN DNS, its certificate warm in the authenticator. */
  async function warmClient() {
    const name = uniq('warm');
    const dns = `${name}.clients.test`;
    const cert = issueCertificate({ subject: `CN=${name},O=Test`, issuer: root, san: { dns: [dns] } });
    await handle.admin.addAccount({ name, roles: ['orders:read'] });
    await handle.admin.bind({ account: name, kind: 'san-dns', value: dns });
    const request = { rawHeaders: ['Client-Cert', `:${cert.der.toString('base64')}:`], remoteAddress: '127.0.0.1' };
    // On PostgreSQL the NOTIFY of our own setup writes arrives a moment later and (rightly)
    // invalidates what was computed before it: authenticate until an answer sticks.
    let warm;
    for (let attempt = 0; attempt < 40 && !warm; attempt++) {
      const client = await authenticator.authenticate(request);
      warm = authenticator.authenticateWarm(request) === client ? client : undefined;
      if (!warm) await new Promise((r) => setTimeout(r, 50));
    }
    expect(warm).toBeDefined();
    return { name, dns, cert, request };
  }

  it.each<[string, (c: Awaited<ReturnType<typeof warmClient>>) => Promise<unknown>, string]>([
    ['unbind', (c) => handle.admin.unbind({ kind: 'san-dns', value: c.dns }), 'IDENTITY_UNKNOWN'],
    ['disable', (c) => handle.admin.disable(c.name), 'ACCOUNT_DISABLED'],
    ['deny', (c) => handle.admin.deny({ certificate: c.cert.der }), 'CERT_REVOKED'],
  ])('a %s through RegistryAdminService ends the warm path at once', async (_label, write, code) => {
    const c = await warmClient();
    await write(c);
    expect(authenticator.authenticateWarm(c.request)).toBeUndefined();
    await expect(authenticator.authenticate(c.request)).rejects.toMatchObject({ code });
  });

  it('a role change is seen at once on a warm path', async () => {
    const c = await warmClient();
    await handle.admin.setRoles(c.name, ['orders:write']);
    expect(authenticator.authenticateWarm(c.request, ['orders:write'])).toBeUndefined();
    await expect(authenticator.authenticate(c.request, ['orders:write'])).resolves.toBeDefined();
    // The old role is gone whichever path answers (on PostgreSQL the NOTIFY echo may empty the warm path first).
    await expect(authenticator.authenticate(c.request, ['orders:read'])).rejects.toMatchObject({ code: 'ROLE_MISSING' });
  });

  it('warm hits still feed last-seen (at most once a second per client; batched, written on flush)', async () => {
    const c = await warmClient(); // its warm hit touched already
    await handle.registry.flushLastSeen();
    const lookup = jest.spyOn(handle.registry, 'lookup');
    const touch = jest.spyOn(handle.registry, 'touch');
    authenticator.authenticateWarm(c.request);
    expect(touch).not.toHaveBeenCalled();
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + 1500);
    authenticator.authenticateWarm(c.request);
    authenticator.authenticateWarm(c.request);
    expect(lookup).not.toHaveBeenCalled();
    expect(touch).toHaveBeenCalledTimes(1);
    await handle.registry.flushLastSeen();
    expect((await handle.admin.getAccount(c.name)).lastSeenAt).not.toBeNull();
    jest.restoreAllMocks();
  });

  it('reports a generation while its invalidation channel is up', () => {
    expect(handle.registry.generation()).toEqual(expect.any(Number));
  });
});
