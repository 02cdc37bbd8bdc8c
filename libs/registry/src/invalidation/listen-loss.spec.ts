import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { registryDataSourceOptions } from '../database/registry-data-source.factory';
import { openRegistryDataSource } from '../database/registry-data-source.open';
import type { PostgresRegistryDatabase } from '../database/registry-database.options';
import { createRegistry, type RegistryHandle } from '../factory/create-registry';
import { TypeOrmClientCertRegistry } from '../registry/typeorm-client-cert.registry';
import { buildPrincipal, quietLogger, randomSha256, uniq } from '../testing/principal.builder';
import { describeOnPostgres, type TestDatabase } from '../testing/registry-test.drivers';
import { TcpProxy } from '../testing/tcp.proxy';
import { PostgresInvalidationBus } from './postgres-invalidation.bus';

/** Polls until `check` holds; returns the milliseconds it took. */
async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Date.now() - start;
}

/**
 * Issue 13, finding 10: the LISTEN connection of an instance dies while a binding is removed,
 * so the NOTIFY of that removal never reaches it. The instance must still refuse the client
 * within one second, whether it hears of the death at once (the server's FATAL message) or not
 * at all (the network path went silent, as behind a NAT that dropped the flow).
 */

describeOnPostgres('lost invalidations on $name', (driver) => {
  let db: TestDatabase;
  let writer: RegistryHandle;
  let admin: Client;

  beforeAll(async () => {
    db = await driver.create();
    writer = await createRegistry({ database: db.database, lastSeenFlushSeconds: 0, logger: quietLogger() });
    admin = new Client({ connectionString: (db.database as PostgresRegistryDatabase).url });
    await admin.connect();
  });
  afterAll(async () => {
    await writer?.close();
    await admin?.end();
    await db?.drop();
  });

  /** A second instance whose LISTEN link goes through `listenUrl`; its pool connects directly. */
  async function instance(listenUrl: string, applicationName: string) {
    const database = { ...(db.database as PostgresRegistryDatabase), applicationName };
    const dataSource: DataSource = await openRegistryDataSource(registryDataSourceOptions(database), false);
    const bus = new PostgresInvalidationBus({ url: listenUrl, schema: database.schema!, logger: quietLogger(), applicationName });
    await bus.start();
    const registry = new TypeOrmClientCertRegistry(dataSource, bus, { lastSeenFlushSeconds: 0, logger: quietLogger() });
    return {
      registry,
      bus,
      close: async () => {
        await registry.close();
        await bus.close();
        await dataSource.destroy();
      },
    };
  }

  async function terminateListener(applicationName: string): Promise<void> {
    const { rows } = await admin.query<{ ok: boolean }>('SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1', [
      `${applicationName}:listen`,
    ]);
    expect(rows).toEqual([{ ok: true }]);
  }

  it.each([
    ['the server ends the connection (pg_terminate_backend)', false],
    ['the connection goes silent, then pg_terminate_backend', true],
  ])('%s while a binding is removed: refused within 1 s', async (_label, silent) => {
    const proxy = new TcpProxy('127.0.0.1', Number(new URL((db.database as PostgresRegistryDatabase).url).port || 5432));
    await proxy.start();
    const url = new URL((db.database as PostgresRegistryDatabase).url);
    url.host = `127.0.0.1:${proxy.port}`;
    const applicationName = uniq('listen-loss');
    const other = await instance(url.toString(), applicationName);
    try {
      const name = uniq('cut');
      const fingerprint = randomSha256();
      const principal = buildPrincipal({ fingerprintSha256: fingerprint });
      await writer.admin.addAccount({ name });
      await writer.admin.bind({ account: name, kind: 'fingerprint', value: fingerprint });
      await within(1000, async () => (await other.registry.resolve(principal)) !== null);
      const generation = other.registry.generation();
      expect(generation).toBeDefined();
      // Served from the cache from now on.
      expect(await other.registry.resolve(principal)).not.toBeNull();

      if (silent) proxy.freeze();
      await terminateListener(applicationName);
      await writer.admin.unbind({ kind: 'fingerprint', value: fingerprint });
      const started = Date.now();
      const took = await within(1000, async () => (await other.registry.resolve(principal)) === null && other.registry.generation() !== generation);
      process.stdout.write(`[listen-loss] ${silent ? 'silent' : 'terminated'}: refused after ${took} ms (${Date.now() - started})\n`);
    } finally {
      await proxy.stop();
      await other.close();
    }
  });
});
