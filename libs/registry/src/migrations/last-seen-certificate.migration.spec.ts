import { randomUUID } from 'node:crypto';
import { registryDataSourceOptions } from '../database/registry-data-source.factory';
import { migrateRegistry, openRegistryDataSource } from '../database/registry-data-source.open';
import { RegistryAdminService } from '../admin/registry-admin.service';
import { LocalInvalidationBus } from '../invalidation/local-invalidation.bus';
import { type TestDatabase, testDrivers } from '../testing/registry-test.drivers';
import { LastSeenCertificate1765150000000 } from './1765150000000-last-seen-certificate.migration';
import { REGISTRY_MIGRATIONS } from './registry.migrations';
import { createRegistry } from '../factory/create-registry';
import { buildPrincipal, quietLogger, randomSha256, uniq } from '../testing/principal.builder';

describe.each(testDrivers())('migration LastSeenCertificate on $name', (driver) => {
  let db: TestDatabase;
  beforeAll(async () => (db = await driver.create()));
  afterAll(() => db?.drop());

  it('adds the last-seen certificate columns, NULL for existing bindings, and is the last migration', async () => {
    const before = REGISTRY_MIGRATIONS.filter((m) => m !== LastSeenCertificate1765150000000);
    expect(REGISTRY_MIGRATIONS.indexOf(LastSeenCertificate1765150000000)).toBe(before.length);
    const old = await openRegistryDataSource({ ...registryDataSourceOptions(db.database), migrations: before }, true);
    // The admin service of this release writes the new columns: insert as the previous one did.
    const t = (name: string) => (db.database.type === 'postgres' ? `"${db.database.schema}"."${name}"` : `"${name}"`);
    const q = (n: number) => (db.database.type === 'postgres' ? `$${n}` : '?');
    const now = new Date().toISOString();
    const account = randomUUID();
    await old.query(
      `INSERT INTO ${t('cc_accounts')} ("id", "name", "status", "roles", "created_at", "updated_at") VALUES (${q(1)}, 'kept', 'active', '[]', ${q(2)}, ${q(3)})`,
      [account, now, now],
    );
    await old.query(
      `INSERT INTO ${t('cc_bindings')} ("id", "account_id", "kind", "value", "issuer_scope", "created_at") VALUES (${q(1)}, ${q(2)}, 'san-dns', 'kept.example', '', ${q(3)})`,
      [randomUUID(), account, now],
    );
    await old.destroy();

    const current = await openRegistryDataSource(registryDataSourceOptions(db.database), false);
    try {
      expect(await migrateRegistry(current)).toEqual(['LastSeenCertificate1765150000000']);
      const [kept] = await new RegistryAdminService(current, new LocalInvalidationBus('migration-test')).listAccounts();
      expect(kept.bindings).toEqual([expect.objectContaining({ value: 'kept.example', lastCertificate: null })]);
      await current.undoLastMigration({ transaction: 'each' });
      const columns = (await current.query(`SELECT * FROM ${t('cc_bindings')}`)) as Array<Record<string, unknown>>;
      expect(Object.keys(columns[0])).not.toContain('last_cert_not_after');
      expect(await migrateRegistry(current)).toEqual(['LastSeenCertificate1765150000000']);
    } finally {
      await current.destroy();
    }
  });

  it('still authenticates before the migration ran (migrationsRun: false), and only the expiry data waits for it', async () => {
    const other = await driver.create();
    const before = REGISTRY_MIGRATIONS.filter((m) => m !== LastSeenCertificate1765150000000);
    const old = await openRegistryDataSource({ ...registryDataSourceOptions(other.database), migrations: before }, true);
    await old.destroy();
    const logger = quietLogger();
    const handle = await createRegistry({ database: other.database, migrationsRun: false, lastSeenFlushSeconds: 0, logger, listen: false });
    try {
      const fp = randomSha256();
      const name = uniq('early');
      const t = (table: string) => (other.database.type === 'postgres' ? `"${other.database.schema}"."${table}"` : `"${table}"`);
      const q = (n: number) => (other.database.type === 'postgres' ? `$${n}` : '?');
      const now = new Date().toISOString();
      const account = randomUUID();
      await handle.dataSource.query(
        `INSERT INTO ${t('cc_accounts')} ("id", "name", "status", "roles", "created_at", "updated_at") VALUES (${q(1)}, ${q(2)}, 'active', '[]', ${q(3)}, ${q(4)})`,
        [account, name, now, now],
      );
      await handle.dataSource.query(
        `INSERT INTO ${t('cc_bindings')} ("id", "account_id", "kind", "value", "issuer_scope", "created_at") VALUES (${q(1)}, ${q(2)}, 'fingerprint', ${q(3)}, '', ${q(4)})`,
        [randomUUID(), account, fp, now],
      );
      await expect(handle.registry.resolve(buildPrincipal({ fingerprintSha256: fp }))).resolves.toMatchObject({ account: { name } });
      await handle.registry.flushLastSeen();
      expect(logger.lines).toEqual([expect.stringContaining('registry.last_seen.flush_failed')]);
      await expect(handle.registry.soonestExpiries(10)).rejects.toMatchObject({ code: 'REGISTRY_UNAVAILABLE' });
    } finally {
      await handle.close();
      await other.drop();
    }
  });
});
