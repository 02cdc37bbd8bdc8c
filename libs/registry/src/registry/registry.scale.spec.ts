import { createRegistry, type RegistryHandle } from '../factory/create-registry';
import { buildPrincipal, quietLogger, randomSha256, uniq } from '../testing/principal.builder';
import { QueryCountingLogger } from '../testing/query-counting.logger';
import { type TestDatabase, testDrivers } from '../testing/registry-test.drivers';
import { settled } from '../testing/invalidation.settled';
import type { RegistryMatch } from '@client-cert-auth/core';

/** Polls `check` until it holds; returns the milliseconds it took. */
async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Date.now() - start;
}

describe.each(testDrivers())('registry at scale on $name', (driver) => {
  let db: TestDatabase;
  let one: RegistryHandle;
  let two: RegistryHandle;
  const logger = new QueryCountingLogger();

  beforeAll(async () => {
    db = await driver.create();
    one = await createRegistry({ database: db.database, lastSeenFlushSeconds: 0, logger: quietLogger() });
    // A second instance with its own connection, cache and (on PostgreSQL) its own LISTEN link.
    two = await createRegistry({ database: db.database, lastSeenFlushSeconds: 0, typeormLogger: logger, logger: quietLogger() });
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await db?.drop();
  });

  it('runs at most one query per cache miss and none per hit (one distinct certificate per request)', async () => {
    const name = uniq('load');
    await one.admin.addAccount({ name, roles: ['r'] });
    const principals = Array.from({ length: 100 }, () => buildPrincipal({ fingerprintSha256: randomSha256() }));
    for (const p of principals) await one.admin.bind({ account: name, kind: 'fingerprint', value: p.fingerprintSha256 });
    const unknown = Array.from({ length: 20 }, () => buildPrincipal());
    await settled(two);

    const misses = await logger.during(async () => {
      for (const p of principals) expect(await two.registry.resolve(p)).not.toBeNull();
      for (const p of unknown) expect(await two.registry.resolve(p)).toBeNull();
    });
    const hits = await logger.during(async () => {
      for (const p of [...principals, ...unknown]) await two.registry.resolve(p);
    });
    const fresh = buildPrincipal();
    const stampede = await logger.during(() => Promise.all(Array.from({ length: 25 }, () => two.registry.resolve(fresh))));

    process.stdout.write(
      `[${driver.name}] queries: ${misses.length} for ${principals.length + unknown.length} misses, ` +
        `${hits.length} for ${principals.length + unknown.length} hits, ${stampede.length} for 25 concurrent misses of one certificate\n`,
    );
    expect(misses).toHaveLength(principals.length + unknown.length);
    expect(misses.every((q) => /cc_bindings/.test(q) && /JOIN/i.test(q))).toBe(true);
    expect(hits).toHaveLength(0);
    expect(stampede).toHaveLength(1);
  });

  it('caches deny-list answers: one query per miss, none per hit', async () => {
    const cert = { fingerprintSha256: randomSha256(), issuer: 'CN=CA', serialNumber: '01' };
    const queries = await logger.during(async () => {
      for (let i = 0; i < 10; i++) expect(await two.registry.isDenied(cert)).toBe(false);
    });
    expect(queries).toHaveLength(1);
  });

  it.each([
    ['an unbind', async (name: string, fp: string) => void (await one.admin.unbind({ kind: 'fingerprint', value: fp })), (m: unknown) => m === null],
    ['a disable', async (name: string) => void (await one.admin.disable(name)), (m: RegistryMatch | null) => m?.account.status === 'disabled'],
    ['a role change', async (name: string) => void (await one.admin.setRoles(name, ['x'])), (m: RegistryMatch | null) => m?.account.roles.join() === 'x'],
  ])('propagates %s to the other instance within one second', async (_label, change, applied) => {
    const name = uniq('inv');
    const fp = randomSha256();
    await one.admin.addAccount({ name, roles: ['r'] });
    await one.admin.bind({ account: name, kind: 'fingerprint', value: fp });
    const principal = buildPrincipal({ fingerprintSha256: fp });
    await within(1000, async () => (await two.registry.resolve(principal)) !== null);
    // Wait until it is served from the cache (the bind's own NOTIFY may still be in flight); the
    // TTL is 30 s, so from then on only an invalidation can refresh it.
    await within(1000, async () => (await logger.during(() => two.registry.resolve(principal))).length === 0);
    await change(name, fp);
    const ms = await within(1000, async () => applied(await two.registry.resolve(principal)));
    process.stdout.write(`[${driver.name}] ${_label} seen by the other instance after ${ms} ms\n`);
  });

  it('propagates a deny to the other instance within one second', async () => {
    const cert = { fingerprintSha256: randomSha256(), issuer: 'CN=CA', serialNumber: '02' };
    expect(await two.registry.isDenied(cert)).toBe(false);
    await one.admin.deny({ fingerprint: cert.fingerprintSha256 });
    await within(1000, () => two.registry.isDenied(cert));
  });
});
