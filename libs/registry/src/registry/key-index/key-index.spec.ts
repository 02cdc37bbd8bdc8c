import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import type { ClientCertPrincipal } from '@client-cert-auth/core';
import { createRegistry, type RegistryHandle } from '../../factory/create-registry';
import { LocalInvalidationBus } from '../../invalidation/local-invalidation.bus';
import { databaseIdentity } from '../../database/registry-database.options';
import { buildPrincipal, quietLogger, randomSha256, uniq } from '../../testing/principal.builder';
import { QueryCountingLogger } from '../../testing/query-counting.logger';
import { type TestDatabase, testDrivers } from '../../testing/registry-test.drivers';
import { settled } from '../../testing/invalidation.settled';
import { TypeOrmClientCertRegistry, type TypeOrmRegistryOptions } from '../typeorm-client-cert.registry';

/** Builds the registry's key index (if it can) and says whether it is current now. */
async function indexReady(registry: TypeOrmClientCertRegistry): Promise<boolean> {
  registry.keyIndex?.current();
  await registry.keyIndex?.settled();
  return registry.keyIndex?.current() !== undefined;
}

/** Resolves on the next invalidation `handle`'s registry hears. */
function nextInvalidation(handle: RegistryHandle): Promise<void> {
  return new Promise((resolve) => {
    const off = handle.bus.subscribe(() => (off(), resolve()));
  });
}

/** A SQLite bus whose invalidation channel can be cut, as PostgreSQL's LISTEN link can be. */
class CuttableBus extends LocalInvalidationBus {
  cut = false;
  override get connected(): boolean {
    return !this.cut;
  }
}

describe.each(testDrivers())('the key-presence index on $name', (driver) => {
  let db: TestDatabase;
  let handle: RegistryHandle;
  /** Writes the way another process would: SQLite through another connection, PostgreSQL through another instance (NOTIFY). */
  let elsewhere: {
    bindFingerprint(account: string, fingerprint: string): Promise<void>;
    denyFingerprint(fingerprint: string): Promise<void>;
    close(): Promise<void>;
  };
  const sql = new QueryCountingLogger();
  const logger = quietLogger();

  beforeAll(async () => {
    db = await driver.create();
    handle = await createRegistry({ database: db.database, lastSeenFlushSeconds: 0, logger, typeormLogger: sql });
    const database = db.database;
    if (database.type === 'sqlite') {
      const other = new Database(database.path);
      const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
      elsewhere = {
        bindFingerprint: async (account, fingerprint) => {
          const { id } = other.prepare('SELECT "id" FROM "cc_accounts" WHERE "name" = ?').get(account) as { id: string };
          other
            .prepare('INSERT INTO "cc_bindings" ("id", "account_id", "kind", "value", "issuer_scope", "created_at") VALUES (?, ?, ?, ?, \'\', ?)')
            .run(randomUUID(), id, 'fingerprint', fingerprint, now);
        },
        denyFingerprint: async (fingerprint) => {
          other
            .prepare('INSERT INTO "cc_denied_certificates" ("id", "kind", "value", "reason", "created_at") VALUES (?, \'fingerprint\', ?, \'\', ?)')
            .run(randomUUID(), fingerprint, now);
        },
        close: async () => void other.close(),
      };
    } else {
      const writer = await createRegistry({ database, lastSeenFlushSeconds: 0, logger: quietLogger() });
      elsewhere = {
        bindFingerprint: (account, value) => writer.admin.bind({ account, kind: 'fingerprint', value }).then(() => undefined),
        denyFingerprint: (fingerprint) => writer.admin.deny({ fingerprint }).then(() => undefined),
        close: () => writer.close(),
      };
    }
  });
  afterAll(async () => {
    await elsewhere?.close();
    await handle?.close();
    await db?.drop();
  });

  it('a stale index never lets a certificate denied elsewhere in once the invalidation has arrived', async () => {
    const name = uniq('revoked');
    await handle.admin.addAccount({ name, roles: [] });
    const known = buildPrincipal();
    await handle.admin.bind({ account: name, kind: 'fingerprint', value: known.fingerprintSha256 });
    const neverSeen = buildPrincipal();
    await settled(handle);
    expect(await indexReady(handle.registry)).toBe(true);
    expect((await handle.registry.lookup(known)).match?.account.name).toBe(name);

    const heard = nextInvalidation(handle);
    await elsewhere.denyFingerprint(known.fingerprintSha256);
    await elsewhere.denyFingerprint(neverSeen.fingerprintSha256);
    await heard;
    // At once (the index is stale, the cached answer gone): both are denied by a statement.
    expect(await handle.registry.lookup(known)).toEqual({ denied: true, match: null });
    expect(await handle.registry.lookup(neverSeen)).toEqual({ denied: true, match: null });
    // And by the rebuilt index: a never-seen certificate with a denied key is asked about.
    await settled(handle);
    expect(await indexReady(handle.registry)).toBe(true);
    // The same certificate validated through another chain: not in the answer cache, so the index decides.
    const viaOtherChain = { ...neverSeen, chainFingerprints: [neverSeen.fingerprintSha256, randomSha256()] } as ClientCertPrincipal;
    const statements = await sql.during(async () => expect(await handle.registry.lookup(viaOtherChain)).toEqual({ denied: true, match: null }));
    expect(statements).toHaveLength(1);
  });

  it('answers a never-seen unbound certificate without a statement', async () => {
    await settled(handle);
    expect(await indexReady(handle.registry)).toBe(true);
    const statements = await sql.during(async () => {
      for (let i = 0; i < 20; i++)
        expect(await handle.registry.lookup(buildPrincipal({ san: { uri: [`spiffe://example.org/${i}`] } }))).toEqual({ denied: false, match: null });
    });
    expect(statements).toEqual([]);
  });

  it('answers a second certificate sharing a bound SAN URI without a statement (candidates by present keys)', async () => {
    const name = uniq('shared');
    const uri = `spiffe://example.org/${name}`;
    await handle.admin.addAccount({ name, roles: ['r'] });
    await handle.admin.bind({ account: name, kind: 'san-uri', value: uri });
    await settled(handle);
    expect(await indexReady(handle.registry)).toBe(true);
    const first = await sql.during(async () => expect((await handle.registry.lookup(buildPrincipal({ san: { uri: [uri] } }))).match?.account.name).toBe(name));
    expect(first).toHaveLength(1);
    expect(first[0]).not.toMatch(/cc_denied_certificates/); // no deny key is on the list: candidates only
    const second = await sql.during(async () => {
      const lookup = await handle.registry.lookup(buildPrincipal({ san: { uri: [uri] } }));
      expect(lookup.denied).toBe(false);
      expect(lookup.match).toMatchObject({ account: { name, roles: ['r'] }, binding: { kind: 'san-uri', value: uri } });
    });
    expect(second).toEqual([]);
  });

  it('finds a binding added elsewhere once the invalidation has arrived, then again without a statement', async () => {
    const name = uniq('later');
    await handle.admin.addAccount({ name, roles: [] });
    await settled(handle);
    expect(await indexReady(handle.registry)).toBe(true);
    const principal = buildPrincipal();
    expect((await handle.registry.lookup(principal)).match).toBeNull();

    const heard = nextInvalidation(handle);
    await elsewhere.bindFingerprint(name, principal.fingerprintSha256);
    await heard;
    expect((await handle.registry.lookup(principal)).match?.account.name).toBe(name);
    await settled(handle);
    expect(await indexReady(handle.registry)).toBe(true);
    // The same key on another chain: a different cache entry, found through the rebuilt index.
    const viaOtherChain = { ...principal, chainFingerprints: [principal.fingerprintSha256, randomSha256()] } as ClientCertPrincipal;
    const reads = await sql.during(async () => expect((await handle.registry.lookup(viaOtherChain)).match?.account.name).toBe(name));
    expect(reads).toHaveLength(1);
  });

  it('keeps IDENTITY_AMBIGUOUS and the deny-before-bind order of isDenied + resolve', async () => {
    const [a, b] = [uniq('amb-a'), uniq('amb-b')];
    const uri = `spiffe://example.org/${a}`;
    await handle.admin.addAccount({ name: a, roles: [] });
    await handle.admin.addAccount({ name: b, roles: [] });
    await handle.admin.bind({ account: a, kind: 'san-uri', value: uri });
    await handle.admin.bind({ account: b, kind: 'san-uri', value: uri, issuer: 'CN=Issuing CA,O=Example' });
    await settled(handle);
    expect(await indexReady(handle.registry)).toBe(true);
    await expect(handle.registry.lookup(buildPrincipal({ san: { uri: [uri] } }))).rejects.toMatchObject({ code: 'IDENTITY_AMBIGUOUS' });
    const denied = buildPrincipal({ san: { uri: [uri] } });
    await handle.admin.deny({ issuer: denied.issuer, serial: denied.serialNumber });
    expect(await handle.registry.lookup(denied)).toEqual({ denied: true, match: null });
  });

  it('is not used while the invalidation channel is down: every lookup reads', async () => {
    const bus = new CuttableBus(databaseIdentity(db.database));
    const registry = new TypeOrmClientCertRegistry(handle.dataSource, bus, { lastSeenFlushSeconds: 0, logger: quietLogger() });
    try {
      expect(await indexReady(registry)).toBe(true);
      expect(await sql.during(() => registry.lookup(buildPrincipal()))).toEqual([]);
      bus.cut = true;
      const principal = buildPrincipal();
      const reads = await sql.during(async () => {
        expect(await registry.lookup(principal)).toEqual({ denied: false, match: null });
        expect(await registry.lookup(principal)).toEqual({ denied: false, match: null }); // nor its cache
      });
      expect(reads).toHaveLength(2);
    } finally {
      await registry.close();
    }
  });

  describe.each<[string, Pick<TypeOrmRegistryOptions, 'keyIndex' | 'keyIndexHash'>]>([
    ['every key hashing alike (collisions): correct answers through the statement', { keyIndexHash: () => 42 }],
    ['more keys than keyIndex.maxKeys: the statement path', { keyIndex: { maxKeys: 1 } }],
    ['keyIndex: false: the statement path', { keyIndex: false }],
  ])('%s', (_label, options) => {
    it('reads once per never-seen certificate and answers as without the index', async () => {
      const name = uniq('stmt');
      const bound = buildPrincipal();
      const denied = buildPrincipal();
      await handle.admin.addAccount({ name, roles: [] });
      await handle.admin.bind({ account: name, kind: 'fingerprint', value: bound.fingerprintSha256 });
      await handle.admin.deny({ fingerprint: denied.fingerprintSha256 });
      const log = quietLogger();
      const registry = new TypeOrmClientCertRegistry(handle.dataSource, handle.bus, { lastSeenFlushSeconds: 0, logger: log, ...options });
      try {
        await indexReady(registry);
        const reads = await sql.during(async () => {
          expect(await registry.lookup(buildPrincipal())).toEqual({ denied: false, match: null });
          expect((await registry.lookup(bound)).match?.account.name).toBe(name);
          expect(await registry.lookup(denied)).toEqual({ denied: true, match: null });
        });
        expect(reads).toHaveLength(3);
        if (options.keyIndex === false) expect(registry.keyIndex).toBeUndefined();
        if (options.keyIndex) {
          expect(registry.keyIndex?.current()).toBeUndefined();
          await registry.keyIndex?.settled();
          expect(log.lines.filter((line) => line.startsWith('registry.key-index.off'))).toHaveLength(1);
        }
      } finally {
        await registry.close();
      }
    });
  });
});
