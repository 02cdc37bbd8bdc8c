import type { ClientCertPrincipal } from '@client-cert-auth/core';
import { createRegistry, type RegistryHandle } from '../../factory/create-registry';
import { lookupKeysOf } from '../../normalize/principal.keys';
import { normalizeDn } from '../../normalize/dn.normalizer';
import { buildPrincipal, quietLogger, uniq } from '../../testing/principal.builder';
import { QueryCountingLogger } from '../../testing/query-counting.logger';
import { type TestDatabase, testDrivers } from '../../testing/registry-test.drivers';
import { settled } from '../../testing/invalidation.settled';

/** Builds the registry's key index and says whether it is current now. */
async function indexReady(handle: RegistryHandle): Promise<boolean> {
  handle.registry.keyIndex?.current();
  await handle.registry.keyIndex?.settled();
  return handle.registry.keyIndex?.current() !== undefined;
}

/** Resolves on the next invalidation `handle`'s registry hears. */
function nextInvalidation(handle: RegistryHandle): Promise<void> {
  return new Promise((resolve) => {
    const off = handle.bus.subscribe(() => (off(), resolve()));
  });
}

const only = (...kinds: string[]) => ({ mayHoldKind: (kind: string) => kinds.includes(kind) });

describe('lookupKeysOf', () => {
  const principal = buildPrincipal({ subject: 'CN=a,O=b', san: { uri: ['spiffe://example.org/a'], dns: ['A.example.org'] } });

  it('computes every key by default, as principalLookup always did', () => {
    const { bindingKeys, denyKeys } = lookupKeysOf(principal);
    expect(bindingKeys.map((k) => k.kind)).toEqual(['fingerprint', 'spki', 'issuer-serial', 'subject', 'san-uri', 'san-dns']);
    expect(denyKeys.map((k) => k.kind)).toEqual(['fingerprint', 'issuer-serial']);
  });

  it('computes only the kinds the tables may hold, and normalizes the issuer for the scope only when read', () => {
    const { bindingKeys, denyKeys, scope } = lookupKeysOf(principal, only('san-uri'), only());
    expect(bindingKeys).toEqual([{ kind: 'san-uri', value: 'spiffe://example.org/a' }]);
    expect(denyKeys).toEqual([]);
    expect(scope.issuer).toBe(normalizeDn(principal.issuer));
  });

  it('computes the issuer+serial key when only the deny-list holds that kind', () => {
    const { bindingKeys, denyKeys } = lookupKeysOf(principal, only('san-uri'), only('issuer-serial'));
    expect(bindingKeys.map((k) => k.kind)).toEqual(['san-uri']);
    expect(denyKeys.map((k) => k.kind)).toEqual(['issuer-serial']);
  });
});

describe.each(testDrivers())('keys of the kinds the index holds, on $name', (driver) => {
  let db: TestDatabase;
  let handle: RegistryHandle;
  /** Another connection (SQLite: data_version; PostgreSQL: NOTIFY) writing as another process would. */
  let writer: RegistryHandle;
  const sql = new QueryCountingLogger();
  const uri = 'spiffe://example.org/shared';
  const sanOwner = 'san-owner';

  beforeAll(async () => {
    db = await driver.create();
    handle = await createRegistry({ database: db.database, lastSeenFlushSeconds: 0, logger: quietLogger(), typeormLogger: sql });
    writer = await createRegistry({ database: db.database, lastSeenFlushSeconds: 0, logger: quietLogger() });
    // The registry binds by SAN URI alone: the index holds no subject, issuer-serial or fingerprint key.
    await handle.admin.addAccount({ name: sanOwner, roles: [] });
    await handle.admin.bind({ account: sanOwner, kind: 'san-uri', value: uri });
  });
  afterAll(async () => {
    await writer?.close();
    await handle?.close();
    await db?.drop();
  });

  /**
   * The index current and holding no key of `kind` (each test writes a kind no test before it
   * wrote), and the candidates of the shared URI cached.
   */
  async function indexedWithout(kind: string): Promise<void> {
    await settled(handle);
    expect(await indexReady(handle)).toBe(true);
    const { bindings, denied } = handle.registry.keyIndex!.current()!;
    expect([bindings.mayHoldKind(kind), denied.mayHoldKind(kind), bindings.mayHoldKind('san-uri')]).toEqual([false, false, true]);
    expect((await handle.registry.lookup(buildPrincipal({ san: { uri: [uri] } }))).match?.account.name).toBe(sanOwner);
  }

  it('answers a never-seen certificate bound by the shared SAN URI from memory, synchronously', async () => {
    await indexedWithout('subject');
    expect(handle.registry.keyIndex?.current()?.bindings.kinds).toEqual(new Set(['san-uri']));
    const statements = await sql.during(async () => {
      const answer = handle.registry.lookupNow(buildPrincipal({ san: { uri: [uri] } }));
      expect(answer?.match?.account.name).toBe(sanOwner);
    });
    expect(statements).toEqual([]);
  });

  it('finds a subject-DN binding written elsewhere once the invalidation has arrived, and by the rebuilt index', async () => {
    await indexedWithout('subject');
    const name = uniq('by-subject');
    const subject = `CN=${name},O=Example`;
    const heard = nextInvalidation(handle);
    await writer.admin.addAccount({ name, roles: [] });
    await writer.admin.bind({ account: name, kind: 'subject', value: subject });
    await heard;
    // At once: the index is stale, so every key is computed and asked about.
    expect((await handle.registry.lookup(buildPrincipal({ subject }))).match?.account.name).toBe(name);
    await settled(handle);
    expect(await indexReady(handle)).toBe(true);
    expect(handle.registry.keyIndex?.current()?.bindings.mayHoldKind('subject')).toBe(true);
    expect((await handle.registry.lookup(buildPrincipal({ subject }))).match?.account.name).toBe(name);
  });

  it('denies a certificate by an issuer+serial entry written elsewhere, at once and by the rebuilt index', async () => {
    await indexedWithout('issuer-serial');
    const revoked = (): ClientCertPrincipal => buildPrincipal({ issuer: 'CN=Revoking CA,O=Example', serialNumber: '0a1b2c', san: { uri: [uri] } });
    const heard = nextInvalidation(handle);
    await writer.admin.deny({ issuer: 'CN=Revoking CA,O=Example', serial: '0a1b2c' });
    await heard;
    expect(handle.registry.lookupNow(revoked())).toBeUndefined();
    expect(await handle.registry.lookup(revoked())).toEqual({ denied: true, match: null });
    await settled(handle);
    expect(await indexReady(handle)).toBe(true);
    expect(handle.registry.keyIndex?.current()?.denied.kinds).toEqual(new Set(['issuer-serial']));
    // The deny key is in the index: memory cannot answer, the statement does.
    expect(handle.registry.lookupNow(revoked())).toBeUndefined();
    expect(await handle.registry.lookup(revoked())).toEqual({ denied: true, match: null });
    // The same CA's other serials stay in.
    expect((await handle.registry.lookup(buildPrincipal({ issuer: 'CN=Revoking CA,O=Example', san: { uri: [uri] } }))).match?.account.name).toBe(sanOwner);
  });

  it('does not use keys planned for an index that an invalidation has since made stale', async () => {
    await indexedWithout('san-email');
    // The candidates of this key set are not cached yet: lookupNow leaves its plan (SAN URI keys only) to lookup.
    const other = uniq('second-uri');
    const secondUri = `spiffe://example.org/${other}`;
    await handle.admin.addAccount({ name: other, roles: [] });
    await handle.admin.bind({ account: other, kind: 'san-uri', value: secondUri });
    await settled(handle);
    expect(await indexReady(handle)).toBe(true);
    const email = `${uniq('late')}@example.org`;
    const principal = buildPrincipal({ san: { uri: [secondUri], email: [email] } });
    expect(handle.registry.lookupNow(principal)).toBeUndefined();
    // Between the two calls, another process binds the certificate's e-mail address (a kind the plan did not compute) to another account.
    const heard = nextInvalidation(handle);
    await writer.admin.addAccount({ name: `${other}-rival`, roles: [] });
    await writer.admin.bind({ account: `${other}-rival`, kind: 'san-email', value: email });
    await heard;
    await expect(handle.registry.lookup(principal)).rejects.toMatchObject({ code: 'IDENTITY_AMBIGUOUS' });
  });

  it('answers nothing from memory while the invalidation channel is down', async () => {
    await indexedWithout('san-dns');
    const bus = handle.bus as { connected: boolean };
    const connected = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(bus), 'connected');
    Object.defineProperty(bus, 'connected', { configurable: true, get: () => false });
    try {
      expect(handle.registry.lookupNow(buildPrincipal({ san: { uri: [uri] } }))).toBeUndefined();
      expect((await handle.registry.lookup(buildPrincipal({ san: { uri: [uri] } }))).match?.account.name).toBe(sanOwner);
    } finally {
      delete (bus as { connected?: boolean }).connected;
      expect(connected).toBeDefined();
    }
  });
});
