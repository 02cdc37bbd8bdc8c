import { BindingEntity } from '../entities/binding.entity';
import { createRegistry, type RegistryHandle } from '../factory/create-registry';
import { quietLogger } from '../testing/principal.builder';
import { type TestDatabase, testDrivers } from '../testing/registry-test.drivers';

describe.each(testDrivers())('the candidate query on $name', (driver) => {
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

  it('is served by the unique (kind, value, issuer_scope) index', async () => {
    const [sql, params] = handle.dataSource
      .getRepository(BindingEntity)
      .createQueryBuilder('b')
      .innerJoinAndSelect('b.account', 'a')
      .where('(b.kind, b.value) IN ((:k0, :v0), (:k1, :v1))', { k0: 'fingerprint', v0: 'x', k1: 'subject', v1: 'CN=y' })
      .getQueryAndParameters();
    const runner = handle.dataSource.createQueryRunner();
    try {
      let plan: string;
      if (driver.name === 'sqlite') {
        plan = JSON.stringify(await runner.query(`EXPLAIN QUERY PLAN ${sql}`, params));
      } else {
        // Tiny test tables would be scanned sequentially anyway; forbid that to see the usable index.
        await runner.startTransaction();
        await runner.query('SET LOCAL enable_seqscan = off');
        plan = JSON.stringify(await runner.query(`EXPLAIN ${sql}`, params));
        await runner.rollbackTransaction();
      }
      expect(plan).toContain('cc_bindings_kind_value_scope_uq');
    } finally {
      await runner.release();
    }
  });
});
