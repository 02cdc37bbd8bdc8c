import { createRegistry, type RegistryHandle } from '../factory/create-registry';
import { buildPrincipal, quietLogger, randomSha256, uniq } from '../testing/principal.builder';
import { type TestDatabase, testDrivers } from '../testing/registry-test.drivers';

/**
 * Many certificates of one account (a workload's SVIDs, one per pod and rotation) share one
 * account and one binding object in the caches, while each keeps its own match; a changed
 * account is never served from the shared copy.
 */
describe.each(testDrivers())('shared account and binding objects on $name', (driver) => {
  let db: TestDatabase;
  let handle: RegistryHandle;

  beforeAll(async () => {
    db = await driver.create();
    handle = await createRegistry({ database: db.database, lastSeenFlushSeconds: 0, logger: quietLogger() });
  });
  afterAll(async () => {
    await handle?.close();
    await db?.drop();
  });

  async function workload(): Promise<{ name: string; uri: string }> {
    const name = uniq('workload');
    const uri = `spiffe://company.example/${name}`;
    await handle.admin.addAccount({ name, roles: ['orders:read'] });
    await handle.admin.bind({ account: name, kind: 'san-uri', value: uri });
    return { name, uri };
  }

  it('gives distinct certificates of one binding one account and one binding object', async () => {
    const { name, uri } = await workload();
    const first = await handle.registry.resolve(buildPrincipal({ san: { uri: [uri] } }));
    const second = await handle.registry.resolve(buildPrincipal({ san: { uri: [uri] } }));
    expect(first?.account.name).toBe(name);
    expect(second).not.toBe(first);
    expect(second?.account).toBe(first?.account);
    expect(second?.binding).toBe(first?.binding);
  });

  it('serves a changed account as a new object, never the shared copy', async () => {
    const { name, uri } = await workload();
    const before = await handle.registry.resolve(buildPrincipal({ san: { uri: [uri] } }));
    await handle.admin.setRoles(name, ['orders:read', 'orders:write']);
    // The write's invalidation may reach this instance a moment later (NOTIFY on PostgreSQL).
    let after = await handle.registry.resolve(buildPrincipal({ san: { uri: [uri] } }));
    for (let attempt = 0; attempt < 40 && after?.account.roles.length !== 2; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = await handle.registry.resolve(buildPrincipal({ san: { uri: [uri] } }));
    }
    expect(after?.account.roles).toEqual(['orders:read', 'orders:write']);
    expect(before?.account.roles).toEqual(['orders:read']);
    expect(after?.account).not.toBe(before?.account);
  });

  // Answers are cached under the leaf's fingerprint alone; the chain it was validated with is
  // compared on every hit, so a scope by CA certificate still decides per chain.
  it.each([
    ['the trusted chain first', [true, false]],
    ['the other chain first', [false, true]],
  ])('answers one leaf seen through two chains per chain (%s)', async (_, order) => {
    const { name, uri } = await workload2();
    const fingerprintSha256 = randomSha256();
    for (const trustedChain of order) {
      const principal = buildPrincipal({
        fingerprintSha256,
        san: { uri: [uri] },
        chainFingerprints: [fingerprintSha256, trustedChain ? trustedCa : randomSha256()],
      });
      expect(await handle.registry.resolve(principal)).toEqual(trustedChain ? expect.objectContaining({ account: expect.objectContaining({ name }) }) : null);
    }
  });

  const trustedCa = randomSha256();
  async function workload2(): Promise<{ name: string; uri: string }> {
    const name = uniq('scoped');
    const uri = `spiffe://company.example/${name}`;
    await handle.admin.addAccount({ name });
    await handle.admin.bind({ account: name, kind: 'san-uri', value: uri, issuer: `sha256:${trustedCa}` });
    return { name, uri };
  }
});
