import { Client } from 'pg';
// pg's wire connection: every Parse message (preparing a statement) goes through `parse`.
const Connection = require('pg/lib/connection') as { prototype: { parse(query: { name?: string }): void } };
import { createRegistry, type RegistryHandle } from '../../factory/create-registry';
import { buildPrincipal, quietLogger, uniq } from '../../testing/principal.builder';
import { describeOnPostgres, type TestDatabase } from '../../testing/registry-test.drivers';

/**
 * Counts what really goes over the wire to PostgreSQL (not what TypeORM logs): every query a pg
 * client sends, and every statement it prepares, while `work` runs.
 */
async function onTheWire(work: () => Promise<unknown>): Promise<{ queries: string[]; parses: string[] }> {
  const all: string[] = [];
  const parses: string[] = [];
  const query = Client.prototype.query;
  const parse = Connection.prototype.parse;
  Client.prototype.query = function (this: Client, ...args: unknown[]) {
    const config = args[0] as string | { text: string };
    all.push(typeof config === 'string' ? config : config.text);
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  Connection.prototype.parse = function (this: unknown, statement: { name?: string }) {
    parses.push(statement.name ?? '(unnamed)');
    return parse.call(this, statement);
  };
  try {
    await work();
  } finally {
    Client.prototype.query = query;
    Connection.prototype.parse = parse;
  }
  // The invalidation bus probes its LISTEN connection with `SELECT 1` now and then: not a lookup.
  const queries = all.filter((text) => text !== 'SELECT 1');
  expect(queries.every((text) => /cc_bindings|cc_denied_certificates/.test(text))).toBe(true);
  return { queries, parses };
}

describeOnPostgres('the request path on the wire ($name)', (driver) => {
  let db: TestDatabase;
  let handle: RegistryHandle;
  let name: string;

  beforeAll(async () => {
    db = await driver.create();
    // One pooled connection, so "prepared once" is visible as exactly one Parse message.
    const database = { ...db.database, poolSize: 1 } as TestDatabase['database'];
    handle = await createRegistry({ database, lastSeenFlushSeconds: 0, logger: quietLogger() });
    name = uniq('wire');
    await handle.admin.addAccount({ name, roles: ['r'] });
    await handle.admin.bind({ account: name, kind: 'san-uri', value: 'spiffe://example.org/wire' });
    await new Promise((resolve) => setTimeout(resolve, 200)); // the bind's NOTIFY has arrived
  });
  afterAll(async () => {
    await handle?.close();
    await db?.drop();
  });

  /** What the authenticator does with a never-seen certificate: deny-list check, then resolve. */
  const authenticate = async () => {
    const principal = buildPrincipal({ san: { uri: ['spiffe://example.org/wire'] } });
    expect(await handle.registry.isDenied(principal)).toBe(false);
    expect((await handle.registry.resolve(principal))?.account.name).toBe(name);
  };

  it('sends ONE query per never-seen certificate and prepares its statement once', async () => {
    const first = await onTheWire(authenticate);
    expect(first.queries).toHaveLength(1);
    expect(first.parses).toEqual([expect.stringMatching(/^cc_registry_lookup_/)]);

    const next = await onTheWire(async () => {
      for (let i = 0; i < 20; i++) await authenticate();
    });
    expect(next.queries).toHaveLength(20);
    expect(next.parses).toEqual([]);
  });

  it('sends two with the TypeORM request path (the comparison point), unprepared', async () => {
    const typeorm = await createRegistry({
      database: { ...db.database, poolSize: 1 } as TestDatabase['database'],
      requestPath: 'typeorm',
      lastSeenFlushSeconds: 0,
      logger: quietLogger(),
    });
    try {
      const principal = buildPrincipal({ san: { uri: ['spiffe://example.org/wire'] } });
      const wire = await onTheWire(async () => {
        expect(await typeorm.registry.isDenied(principal)).toBe(false);
        expect((await typeorm.registry.resolve(principal))?.account.name).toBe(name);
      });
      expect(wire.queries).toHaveLength(2);
      expect(wire.parses.filter((n) => n !== '(unnamed)')).toEqual([]);
    } finally {
      await typeorm.close();
    }
  });
});
