import Database from 'better-sqlite3';
import { createRegistry, type RegistryHandle } from '../factory/create-registry';
import { buildPrincipal, quietLogger, randomSha256, uniq } from '../testing/principal.builder';
import { type TestDatabase, testDrivers } from '../testing/registry-test.drivers';

const sqlite = testDrivers().find((d) => d.name === 'sqlite')!;

describe('SQLite: a write from another process reaches a running registry', () => {
  let db: TestDatabase;
  let handle: RegistryHandle;

  beforeAll(async () => {
    db = await sqlite.create();
    handle = await createRegistry({ database: db.database, lastSeenFlushSeconds: 0, logger: quietLogger() });
  });
  afterAll(async () => {
    await handle?.close();
    await db?.drop();
  });

  it('within one second, through PRAGMA data_version (no shared emitter, TTL 30 s)', async () => {
    const name = uniq('ext');
    const fp = randomSha256();
    await handle.admin.addAccount({ name });
    await handle.admin.bind({ account: name, kind: 'fingerprint', value: fp });
    const principal = buildPrincipal({ fingerprintSha256: fp });
    await expect(handle.registry.resolve(principal)).resolves.not.toBeNull();

    // Another connection to the file, as the CLI in another process would be: no in-process event.
    const other = new Database(db.database.type === 'sqlite' ? db.database.path : '');
    try {
      expect(other.prepare('DELETE FROM cc_bindings WHERE value = ?').run(fp).changes).toBe(1);
    } finally {
      other.close();
    }
    const started = Date.now();
    while ((await handle.registry.resolve(principal)) !== null) {
      if (Date.now() - started > 1000) throw new Error('external change not seen within 1 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    process.stdout.write(`[sqlite] external delete seen after ${Date.now() - started} ms\n`);
  });
});
