import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Client } from 'pg';
import { createRegistry, type RegistryHandle } from '../factory/create-registry';
import { buildPrincipal, quietLogger, randomSha256, uniq } from '../testing/principal.builder';
import { type TestDatabase, testDrivers } from '../testing/registry-test.drivers';
import { TcpProxy } from '../testing/tcp.proxy';

/** How a driver's database goes down and comes back. */
interface Outage {
  database: TestDatabase['database'];
  down(handle: RegistryHandle): Promise<void>;
  up(): Promise<void>;
  close?(): Promise<void>;
}

async function outageFor(db: TestDatabase): Promise<Outage> {
  const database = db.database;
  if (database.type === 'sqlite') {
    // The open handle is lost and the database directory is replaced by a plain file, so
    // reopening fails (TypeORM would recreate a missing directory) until it is back.
    const dir = dirname(database.path);
    let isDown = false;
    return {
      database,
      down: async (handle) => {
        await handle.dataSource.destroy();
        renameSync(dir, `${dir}.away`);
        writeFileSync(dir, 'not a directory');
        isDown = true;
      },
      up: async () => {
        if (!isDown) return;
        rmSync(dir);
        renameSync(`${dir}.away`, dir);
        isDown = false;
      },
    };
  }
  const target = new URL(database.url);
  const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
  await proxy.start();
  const viaProxy = new URL(database.url);
  viaProxy.port = String(proxy.port);
  let isDown = false;
  return {
    database: { ...database, url: viaProxy.toString() },
    down: async () => void (await proxy.stop(), (isDown = true)),
    up: async () => void (isDown && (await proxy.start(), (isDown = false))),
    close: () => proxy.stop(),
  };
}

async function eventually<T>(ms: number, attempt: () => Promise<T>): Promise<T> {
  const start = Date.now();
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() - start > ms) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe.each(testDrivers())('registry outage on $name', (driver) => {
  let db: TestDatabase;
  let outage: Outage;
  let handle: RegistryHandle;

  beforeAll(async () => {
    db = await driver.create();
    outage = await outageFor(db);
    handle = await createRegistry({ database: outage.database, lastSeenFlushSeconds: 0, logger: quietLogger() });
  });
  afterAll(async () => {
    await outage?.up().catch(() => undefined);
    await handle?.close();
    await outage?.close?.();
    await db?.drop();
  });

  it('answers REGISTRY_UNAVAILABLE while the database is down and recovers without a restart', async () => {
    const name = uniq('outage');
    const fp = randomSha256();
    await handle.admin.addAccount({ name });
    await handle.admin.bind({ account: name, kind: 'fingerprint', value: fp });
    const known = buildPrincipal({ fingerprintSha256: fp });
    await expect(handle.registry.resolve(known)).resolves.toMatchObject({ account: { name } });

    await outage.down(handle);
    const started = Date.now();
    await expect(handle.registry.resolve(buildPrincipal())).rejects.toMatchObject({ code: 'REGISTRY_UNAVAILABLE' });
    // Later requests fail fast instead of each waiting for a connect timeout.
    const second = Date.now();
    await expect(handle.registry.resolve(buildPrincipal())).rejects.toMatchObject({ code: 'REGISTRY_UNAVAILABLE', details: { failFast: true } });
    expect(Date.now() - second).toBeLessThan(50);
    await expect(handle.registry.isDenied({ fingerprintSha256: randomSha256(), issuer: 'CN=x', serialNumber: '1' })).rejects.toMatchObject({
      code: 'REGISTRY_UNAVAILABLE',
    });
    expect(Date.now() - started).toBeLessThan(5000);

    await outage.up();
    // A fresh certificate forces a query (a cached one could be answered without the database).
    await expect(eventually(5000, () => handle.registry.resolve(buildPrincipal()))).resolves.toBeNull();
    await expect(handle.registry.resolve(known)).resolves.toMatchObject({ account: { name } });
  });

  it('keeps the key index not current while its build fails (lookups: REGISTRY_UNAVAILABLE), and rebuilds it after recovery', async () => {
    const index = handle.registry.keyIndex!;
    index.current();
    await index.settled();
    expect(index.current()).toBeDefined();

    await outage.down(handle);
    handle.registry.invalidate(); // a write the index must be rebuilt for
    await expect(handle.registry.lookup(buildPrincipal())).rejects.toMatchObject({ code: 'REGISTRY_UNAVAILABLE' });
    await index.settled(); // the build the lookup scheduled has failed
    expect(index.current()).toBeUndefined();
    await expect(handle.registry.lookup(buildPrincipal())).rejects.toMatchObject({ code: 'REGISTRY_UNAVAILABLE' });

    await outage.up();
    await expect(eventually(5000, () => handle.registry.lookup(buildPrincipal()))).resolves.toEqual({ denied: false, match: null });
    await eventually(5000, async () => {
      index.current();
      await index.settled();
      expect(index.current()).toBeDefined();
    });
  });

  // PostgreSQL only: SQLite has no LISTEN link and no server sessions to lose.
  const itOnPostgres = driver.name === 'postgres' ? it : (name: string, fn: jest.ProvidesCallback) => it.skip(`${name} [skipped: PostgreSQL only]`, fn);

  itOnPostgres('never answers from a cache it cannot keep fresh while LISTEN is down', async () => {
    const name = uniq('listen');
    const fp = randomSha256();
    await handle.admin.addAccount({ name });
    await handle.admin.bind({ account: name, kind: 'fingerprint', value: fp });
    const principal = buildPrincipal({ fingerprintSha256: fp });
    await eventually(2000, async () => expect(await handle.registry.resolve(principal)).not.toBeNull());
    await outage.down(handle);
    await eventually(2000, async () => expect(handle.bus.connected).toBe(false));
    await expect(handle.registry.resolve(principal)).rejects.toMatchObject({ code: 'REGISTRY_UNAVAILABLE' });
    await outage.up();
    await eventually(8000, async () => expect(handle.bus.connected).toBe(true));
    // Within the fail-fast window (500 ms) after the last failure the answer is still 503.
    await expect(eventually(2000, () => handle.registry.resolve(principal))).resolves.toMatchObject({ account: { name } });
  });

  itOnPostgres('survives its sessions being terminated (failover, pg_terminate_backend)', async () => {
    if (db.database.type !== 'postgres') throw new Error('postgres only');
    const name = uniq('term');
    const fp = randomSha256();
    await handle.admin.addAccount({ name });
    await handle.admin.bind({ account: name, kind: 'fingerprint', value: fp });
    const admin = new Client({ connectionString: db.database.url });
    await admin.connect();
    try {
      const { rows } = await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE $1 || '%' AND pid <> pg_backend_pid()",
        [db.database.applicationName],
      );
      expect(rows.length).toBeGreaterThanOrEqual(2); // a pool session and the LISTEN session
    } finally {
      await admin.end();
    }
    // The next request may see the dead session (503), never a crash or a stale pass; then it heals.
    await expect(eventually(8000, () => handle.registry.resolve(buildPrincipal({ fingerprintSha256: fp })))).resolves.toMatchObject({
      account: { name },
    });
    await eventually(8000, async () => expect(handle.bus.connected).toBe(true));
  });
});
