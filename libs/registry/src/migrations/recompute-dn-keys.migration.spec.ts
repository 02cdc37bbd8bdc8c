import { randomUUID } from 'node:crypto';
import { registryDataSourceOptions } from '../database/registry-data-source.factory';
import { migrateRegistry, openRegistryDataSource } from '../database/registry-data-source.open';
import { type TestDatabase, testDrivers } from '../testing/registry-test.drivers';
import { CreateRegistry1764290000000 } from './1764290000000-create-registry.migration';

describe.each(testDrivers())('migration RecomputeDnKeys on $name', (driver) => {
  let db: TestDatabase;
  beforeAll(async () => (db = await driver.create()));
  afterAll(() => db?.drop());

  it('recomputes stored DN keys with the current normalizer and leaves the rest alone', async () => {
    // A registry as the previous release left it: only the first migration applied.
    const old = await openRegistryDataSource({ ...registryDataSourceOptions(db.database), migrations: [CreateRegistry1764290000000] }, true);
    const pg = db.database.type === 'postgres';
    const q = (n: number) => (pg ? `$${n}` : '?');
    const now = new Date().toISOString();
    const t = (name: string) => (db.database.type === 'postgres' ? `"${db.database.schema}"."${name}"` : `"${name}"`);
    const account = randomUUID();
    await old.query(
      `INSERT INTO ${t('cc_accounts')} ("id", "name", "status", "roles", "created_at", "updated_at") VALUES (${q(1)}, 'a', 'active', '[]', ${q(2)}, ${q(3)})`,
      [account, now, now],
    );
    const rows: Array<[kind: string, value: string, scope: string]> = [
      ['subject', 'CN=alice smith,O=example', ''], // what the old normalizer wrote: unchanged
      ['subject', 'cn=Bob,o=Example', ''], // written by hand, not canonical: recomputed
      ['issuer-serial', 'CN=Issuing CA|00:0A', 'CN=Partner CA'],
      ['spki', 'ab'.repeat(32), `sha256:${'cd'.repeat(32)}`],
      ['subject', 'CN=broken\\', ''], // unreadable by the stricter parser: left, it matches nothing
    ];
    for (const [kind, value, scope] of rows) {
      await old.query(
        `INSERT INTO ${t('cc_bindings')} ("id", "account_id", "kind", "value", "issuer_scope", "created_at") VALUES (${q(1)}, ${q(2)}, ${q(3)}, ${q(4)}, ${q(5)}, ${q(6)})`,
        [randomUUID(), account, kind, value, scope, now],
      );
    }
    await old.query(
      `INSERT INTO ${t('cc_denied_certificates')} ("id", "kind", "value", "created_at") VALUES (${q(1)}, 'issuer-serial', 'CN=Issuing CA,O=Example|FF', ${q(2)})`,
      [randomUUID(), now],
    );
    await old.destroy();

    const current = await openRegistryDataSource(registryDataSourceOptions(db.database), false);
    try {
      // Later migrations follow; these two come first.
      expect((await migrateRegistry(current)).slice(0, 2)).toEqual(['CreateReplayNonces1765000000000', 'RecomputeDnKeys1765000000001']);
      const bindings = (await current.query(`SELECT "kind", "value", "issuer_scope" FROM ${t('cc_bindings')}`)) as Array<{
        kind: string;
        value: string;
        issuer_scope: string;
      }>;
      expect(bindings.map((b) => [b.kind, b.value, b.issuer_scope]).sort()).toEqual(
        [
          ['subject', 'CN=alice smith,O=example', ''],
          ['subject', 'CN=bob,O=example', ''],
          ['issuer-serial', 'CN=issuing ca|a', 'CN=partner ca'],
          ['spki', 'ab'.repeat(32), `sha256:${'cd'.repeat(32)}`],
          ['subject', 'CN=broken\\', ''],
        ].sort(),
      );
      expect((await current.query(`SELECT "value" FROM ${t('cc_denied_certificates')}`)) as unknown[]).toEqual([{ value: 'CN=issuing ca,O=example|ff' }]);
    } finally {
      await current.destroy();
    }
  });
});
