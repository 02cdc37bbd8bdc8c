import type { ClientCertPrincipal } from '@client-cert-auth/core';
import { createRegistry, type RegistryHandle } from '../../factory/create-registry';
import { type BindingKey, principalBindingKeys, principalLookup } from '../../normalize/principal.keys';
import { buildPrincipal, quietLogger, randomSha256, uniq } from '../../testing/principal.builder';
import { QueryCountingLogger } from '../../testing/query-counting.logger';
import { type TestDatabase, testDrivers } from '../../testing/registry-test.drivers';
import { settled } from '../../testing/invalidation.settled';
import { CandidateQuery } from '../candidate.query';
import type { CandidateRow } from '../candidate.reader';
import { candidateReaderFor } from './candidate-reader.factory';
import { PostgresCandidateReader } from './postgres-candidate.reader';
import { SqliteCandidateReader } from './sqlite-candidate.reader';

const HOUR = 3600_000;
/** Whole seconds: every dialect stores them exactly. */
const at = (offsetMs: number) => new Date(Math.floor((Date.now() + offsetMs) / 1000) * 1000);

/** Rows in a comparable shape (order is not part of the contract). */
function comparable(rows: readonly CandidateRow[]) {
  return rows
    .map((r) => ({
      id: r.id,
      kind: r.kind,
      value: r.value,
      issuerScope: r.issuerScope,
      notBefore: r.notBefore?.toISOString() ?? null,
      notAfter: r.notAfter?.toISOString() ?? null,
      account: { id: r.account.id, name: r.account.name, status: r.account.status, roles: r.account.roles },
    }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

describe.each(testDrivers())('the prepared request path on $name', (driver) => {
  let db: TestDatabase;
  let handle: RegistryHandle;
  const sql = new QueryCountingLogger();
  let principals: ClientCertPrincipal[];

  beforeAll(async () => {
    db = await driver.create();
    handle = await createRegistry({ database: db.database, lastSeenFlushSeconds: 0, logger: quietLogger(), typeormLogger: sql });
    // Every kind, scopes of every form, open and closed windows, a disabled account, roles.
    const alice = uniq('alice');
    const bob = uniq('bob');
    await handle.admin.addAccount({ name: alice, roles: ['orders:read', 'orders:write'] });
    await handle.admin.addAccount({ name: bob, roles: [], status: 'disabled' });
    const issuerSpki = randomSha256();
    principals = [
      buildPrincipal({
        subject: `CN=${alice},O=Example`,
        issuerSpkiSha256: issuerSpki,
        san: { uri: [`spiffe://example.org/${alice}`], dns: ['Alice.Example.org.'], email: ['Alice@Example.ORG'] },
      }),
      buildPrincipal({ subject: `CN=${bob},O=Example`, issuer: 'CN=Other CA,O=Example' }),
    ];
    const [a, b] = principals;
    await handle.admin.bind({ account: alice, kind: 'fingerprint', value: a.fingerprintSha256 });
    await handle.admin.bind({ account: alice, kind: 'spki', value: a.spkiSha256, notBefore: at(-HOUR), notAfter: at(HOUR) });
    await handle.admin.bind({ account: alice, kind: 'subject', value: a.subject, issuer: a.issuer });
    await handle.admin.bind({ account: alice, kind: 'subject', value: a.subject, issuerSpki });
    await handle.admin.bind({ account: alice, kind: 'san-uri', value: a.san.uri[0], notAfter: at(-HOUR) });
    await handle.admin.bind({ account: alice, kind: 'san-dns', value: 'alice.example.org' });
    await handle.admin.bind({ account: alice, kind: 'san-email', value: 'Alice@example.org' });
    await handle.admin.bind({ account: alice, kind: 'issuer-serial', value: `${a.issuer}|${a.serialNumber}` });
    await handle.admin.bind({ account: bob, kind: 'subject', value: b.subject, notBefore: at(HOUR) });
    await handle.admin.bind({ account: bob, kind: 'issuer-serial', value: `${b.issuer}|${b.serialNumber}` });
    await handle.admin.deny({ fingerprint: b.fingerprintSha256 });
  });
  afterAll(async () => {
    await handle?.close();
    await db?.drop();
  });

  it('is the reader the registry picks for this driver', () => {
    const reader = candidateReaderFor(handle.dataSource);
    expect(reader).toBeInstanceOf(driver.name === 'sqlite' ? SqliteCandidateReader : PostgresCandidateReader);
    expect(candidateReaderFor(handle.dataSource, 'typeorm')).toBeInstanceOf(CandidateQuery);
  });

  it('reads exactly the rows and deny answers the TypeORM query builder reads (every kind, scope, window; > 32 keys)', async () => {
    const prepared = candidateReaderFor(handle.dataSource);
    const typeorm = new CandidateQuery(handle.dataSource);
    const noise: BindingKey[] = Array.from({ length: 40 }, () => ({ kind: 'fingerprint', value: randomSha256() }));
    const keySets = [...principals.map((p) => principalBindingKeys(p)), [...noise, ...principalBindingKeys(principals[0]), ...noise.slice(0, 3)], noise, []];
    for (const keys of keySets) {
      const expected = comparable(await typeorm.bindings(keys));
      expect(comparable(await prepared.bindings(keys))).toEqual(expected);
      const deny = keys.slice(0, 2);
      expect(await prepared.denied(deny)).toBe(await typeorm.denied(deny));
      const both = await prepared.lookup!(keys, deny);
      expect({ denied: both.denied, rows: comparable(both.rows) }).toEqual({ denied: await typeorm.denied(deny), rows: expected });
    }
    // The comparison is not vacuous: every binding of the first principal came back, dates and roles included.
    const rows = comparable(await prepared.bindings(principalBindingKeys(principals[0])));
    expect(rows).toHaveLength(8);
    expect(rows.find((r) => r.kind === 'spki')?.notAfter).toEqual(expect.any(String));
    expect(rows[0].account.roles).toEqual(['orders:read', 'orders:write']);
    expect(await prepared.denied(principalLookup(principals[1]).denyKeys)).toBe(true);
  });

  it('answers a never-seen certificate with ONE statement (deny-list and candidates together)', async () => {
    const name = uniq('fresh');
    await handle.admin.addAccount({ name, roles: ['r'] });
    const principal = buildPrincipal({ san: { uri: [`spiffe://example.org/${name}`] } });
    await handle.admin.bind({ account: name, kind: 'san-uri', value: principal.san.uri[0] });
    // An invalidation between the two calls would (rightly) make resolve read again.
    await settled(handle);
    const statements = await sql.during(async () => {
      expect(await handle.registry.isDenied(principal)).toBe(false);
      expect((await handle.registry.resolve(principal))?.account.name).toBe(name);
    });
    expect(statements.every((q) => /cc_denied_certificates/.test(q) || /cc_bindings/.test(q))).toBe(true);
    expect(statements).toHaveLength(1);
    // And the answer is cached as before: no statement for the next request.
    expect(await sql.during(() => Promise.all([handle.registry.isDenied(principal), handle.registry.resolve(principal)]))).toEqual([]);
  });

  it('refuses a denied never-seen certificate from the same single read', async () => {
    const principal = buildPrincipal();
    await handle.admin.deny({ issuer: principal.issuer, serial: principal.serialNumber });
    expect(await handle.registry.isDenied(principal)).toBe(true);
  });

  it('does not use candidates read before an invalidation: the resolve after it reads again', async () => {
    const name = uniq('late');
    await handle.admin.addAccount({ name, roles: [] });
    const principal = buildPrincipal();
    expect(await handle.registry.isDenied(principal)).toBe(false); // read with its (no) candidates
    await handle.admin.bind({ account: name, kind: 'fingerprint', value: principal.fingerprintSha256 });
    handle.registry.invalidate(); // what the bus does on that write (PostgreSQL delivers it by NOTIFY)
    const reads = await sql.during(async () => expect((await handle.registry.resolve(principal))?.account.name).toBe(name));
    expect(reads).toHaveLength(1);
  });
});

describe.each(testDrivers().filter((d) => d.name === 'sqlite'))('the SQLite statements ($name)', (driver) => {
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

  it('are prepared once per shape, and again only after the DataSource reconnects', async () => {
    const reader = new SqliteCandidateReader(handle.dataSource);
    const name = uniq('prep');
    await handle.admin.addAccount({ name, roles: [] });
    // 40 SAN DNS names + 4 other keys: chunks of 16, 16 and 12 keys (two shapes).
    const bound = buildPrincipal({ san: { dns: Array.from({ length: 40 }, (_, i) => `h${i}.example.org`) } });
    await handle.admin.bind({ account: name, kind: 'san-dns', value: 'h39.example.org' });
    const lookup = (p: ClientCertPrincipal) => reader.lookup(principalLookup(p).bindingKeys, principalLookup(p).denyKeys);
    expect((await lookup(buildPrincipal())).rows).toEqual([]);
    expect((await lookup(bound)).rows.map((r) => r.account.name)).toEqual([name]);
    const shapes = reader.preparations;
    expect(shapes).toBe(4); // one combined statement; candidates for 16 and for 12 keys, the deny-list for 2
    for (let i = 0; i < 50; i++) expect((await lookup(buildPrincipal())).rows).toEqual([]);
    expect((await lookup(bound)).rows.map((r) => r.account.name)).toEqual([name]);
    expect(reader.preparations).toBe(shapes);

    await handle.dataSource.destroy();
    await expect(lookup(bound)).rejects.toThrow(/not connected/);
    await handle.dataSource.initialize();
    expect((await lookup(bound)).rows.map((r) => r.account.name)).toEqual([name]);
    expect(reader.preparations).toBe(shapes + 3);
  });
});
