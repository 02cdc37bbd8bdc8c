import { createRegistry, type RegistryHandle } from '../factory/create-registry';
import { buildPrincipal, quietLogger, randomSha256, uniq } from '../testing/principal.builder';
import { type TestDatabase, testDrivers } from '../testing/registry-test.drivers';
import type { CandidateRow } from './candidate.reader';
import { MatchPartsInterner } from './match-parts.interner';

/** A candidate row's account, as a query reads it: new objects per query. */
function account(fields: { name?: string; status?: 'active' | 'disabled'; roles?: string[] } = {}): CandidateRow['account'] {
  return { id: 'account-1', name: 'a', status: 'active' as const, roles: ['orders:read'], ...fields };
}

function binding(value = 'spiffe://company.example/a'): CandidateRow {
  return { id: 'binding-1', kind: 'san-uri' as const, value, issuerScope: '', notBefore: null, notAfter: null, account: account() };
}

// Without an invalidation in between (a registry whose bus is down reads every answer afresh),
// sharing is decided by the fields alone.
describe('MatchPartsInterner', () => {
  it('shares equal parts and keeps every changed field apart', () => {
    const parts = new MatchPartsInterner();
    const first = { account: parts.accountOf(account()), binding: parts.bindingOf(binding()) };
    expect(first.account).toEqual({ id: 'account-1', name: 'a', status: 'active', roles: ['orders:read'] });
    expect(Object.isFrozen(first.account) && Object.isFrozen(first.account.roles)).toBe(true);
    expect(first.binding).toEqual({ id: 'binding-1', kind: 'san-uri', value: 'spiffe://company.example/a' });
    expect(parts.accountOf(account())).toBe(first.account);
    expect(parts.bindingOf(binding())).toBe(first.binding);
    for (const changed of [
      { name: 'b' },
      { status: 'disabled' as const },
      { roles: ['orders:read', 'orders:write'] },
      { roles: ['orders:write'] },
      { roles: [] },
    ]) {
      expect(parts.accountOf(account(changed))).toEqual(expect.objectContaining(changed));
    }
    expect(parts.bindingOf(binding('spiffe://company.example/b')).value).toBe('spiffe://company.example/b');
  });

  it("reads a row without roles (NULL) as no roles, and keeps the row's array out of the account", () => {
    const parts = new MatchPartsInterner();
    expect(parts.accountOf({ ...account(), roles: null }).roles).toEqual([]);
    const row = account();
    const shared = new MatchPartsInterner().accountOf(row);
    (row.roles as string[]).push('orders:write');
    expect(shared.roles).toEqual(['orders:read']);
  });
});

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
    // Sharing holds between two invalidations: the write's own NOTIFY may reach this instance a
    // moment later (PostgreSQL) and start a new table, so the pair is read within one generation.
    const pair = async () => {
      const generation = handle.registry.generation();
      const first = await handle.registry.resolve(buildPrincipal({ san: { uri: [uri] } }));
      const second = await handle.registry.resolve(buildPrincipal({ san: { uri: [uri] } }));
      return { first, second, sameGeneration: handle.registry.generation() === generation };
    };
    let { first, second, sameGeneration } = await pair();
    for (let attempt = 0; attempt < 40 && !sameGeneration; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      ({ first, second, sameGeneration } = await pair());
    }
    expect(sameGeneration).toBe(true);
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
