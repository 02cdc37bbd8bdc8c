import { createRegistry, type RegistryHandle } from '../factory/create-registry';
import { quietLogger, randomSha256, uniq } from '../testing/principal.builder';
import { QueryCountingLogger } from '../testing/query-counting.logger';
import { type TestDatabase, testDrivers } from '../testing/registry-test.drivers';
import { LastSeenRecorder } from './last-seen.recorder';

describe.each(testDrivers().filter((d) => d.name === 'sqlite'))('the last-seen recorder on $name', (driver) => {
  let db: TestDatabase;
  let handle: RegistryHandle;
  const sql = new QueryCountingLogger();

  beforeAll(async () => {
    db = await driver.create();
    handle = await createRegistry({ database: db.database, lastSeenFlushSeconds: 0, logger: quietLogger(), typeormLogger: sql });
  });
  afterAll(async () => {
    await handle?.close();
    await db?.drop();
  });

  it('writes nothing per sighting, and a full batch at once without waiting for the interval (bounded memory)', async () => {
    const accounts: string[] = [];
    for (let i = 0; i < 3; i++) accounts.push((await handle.admin.addAccount({ name: uniq('seen'), roles: [] })).id);
    const recorder = new LastSeenRecorder(handle.dataSource, quietLogger(), 0, 3);
    const sighting = (i: number) => ({ bindingId: `b${i}`, fingerprintSha256: randomSha256(), notAfter: new Date() });
    const before = await sql.during(async () => {
      recorder.record(accounts[0], Date.now(), sighting(0));
      recorder.record(accounts[1], Date.now(), sighting(1));
    });
    expect(before).toEqual([]);
    expect(recorder.size).toBe(2);

    const full = await sql.during(async () => {
      recorder.record(accounts[2], Date.now(), sighting(2)); // the third: a flush starts by itself
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    expect(full.filter((q) => /^\s*UPDATE/i.test(q))).toHaveLength(2);
    expect(recorder.size).toBe(0);
    const seen = (await handle.admin.listAccounts()).filter((a) => accounts.includes(a.id)).map((a) => a.lastSeenAt);
    expect(seen).toHaveLength(3);
    expect(seen.every((at) => at !== null)).toBe(true);
    await recorder.close();
  });
});
