import { randomUUID } from 'node:crypto';
import { createRegistry, type RegistryHandle } from '../factory/create-registry';
import { quietLogger } from '../testing/principal.builder';
import { describeOnPostgres, type TestDatabase } from '../testing/registry-test.drivers';
import { TcpProxy } from '../testing/tcp.proxy';
import { PostgresReplayStore } from './postgres-replay.store';

/** Two instances of one deployment: each its own connection pool, one PostgreSQL database. */
describeOnPostgres('PostgresReplayStore on $name', (driver) => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let a: RegistryHandle;
  let b: RegistryHandle;
  let now = 1_800_000_000_000;
  const clock = () => now;

  beforeAll(async () => {
    db = await driver.create();
    const database = db.database as { url: string };
    const target = new URL(database.url);
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    const viaProxy = new URL(database.url);
    viaProxy.port = String(proxy.port);
    a = await createRegistry({ database: db.database, listen: false, logger: quietLogger() });
    // B reaches the database through a TCP proxy the test can cut: an outage as B sees it.
    b = await createRegistry({ database: { ...db.database, url: viaProxy.toString() } as never, listen: false, logger: quietLogger() });
  });
  afterAll(async () => {
    await proxy?.start().catch(() => undefined);
    await a?.close();
    await b?.close();
    await proxy?.stop();
    await db?.drop();
  });

  const schema = () => (db.database as { schema?: string }).schema;
  const storeOf = (handle: RegistryHandle, maxEntries?: number) =>
    new PostgresReplayStore(handle.dataSource, { schema: schema(), now: clock, maxEntries, purgeEveryMs: 0 });

  it('accepts a nonce once, across instances', async () => {
    const key = `edge:${randomUUID()}`;
    expect(await storeOf(a).claim(key, now + 30_000)).toBe(true);
    expect(await storeOf(a).claim(key, now + 30_000)).toBe(false);
    expect(await storeOf(b).claim(key, now + 30_000)).toBe(false);
    expect(await storeOf(b).claim(`edge:${randomUUID()}`, now + 30_000)).toBe(true);
  });

  it('takes over a nonce whose entry expired (its timestamp would be refused by then anyway)', async () => {
    const key = `edge:${randomUUID()}`;
    expect(await storeOf(a).claim(key, now + 1_000)).toBe(true);
    now += 2_000;
    expect(await storeOf(b).claim(key, now + 1_000)).toBe(true);
  });

  it('one nonce claimed by both instances at once is accepted exactly once', async () => {
    const key = `edge:${randomUUID()}`;
    const results = await Promise.all([...Array(10)].map((_, i) => storeOf(i % 2 ? a : b).claim(key, now + 30_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('is bounded: refuses new nonces (503) while it holds maxEntries unexpired ones, accepts again once they expire', async () => {
    const store = storeOf(a, 1);
    await store.claim(`edge:${randomUUID()}`, now + 5_000).catch(() => undefined);
    await expect(store.claim(`edge:${randomUUID()}`, now + 5_000)).rejects.toMatchObject({ code: 'REPLAY_CHECK_UNAVAILABLE' });
    now += 3_600_000;
    expect(await store.claim(`edge:${randomUUID()}`, now + 5_000)).toBe(true);
  });

  it('refuses (503 REPLAY_CHECK_UNAVAILABLE) while the database is unreachable, and recovers', async () => {
    const store = storeOf(b);
    await proxy.stop();
    await expect(store.claim(`edge:${randomUUID()}`, now + 30_000)).rejects.toMatchObject({ code: 'REPLAY_CHECK_UNAVAILABLE' });
    await proxy.start();
    let recovered = false;
    for (let i = 0; i < 50 && !recovered; i++) {
      recovered = await store.claim(`edge:${randomUUID()}`, now + 30_000).catch(() => false);
      if (!recovered) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(recovered).toBe(true);
  });
});
