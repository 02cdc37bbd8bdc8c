import { createRegistry, type RegistryHandle } from '../factory/create-registry';
import { buildPrincipal, quietLogger, randomSha256, uniq } from '../testing/principal.builder';
import { type TestDatabase, testDrivers } from '../testing/registry-test.drivers';
import { explainRegistryMatch } from './match.explainer';

/** The nearest bindings of a certificate nothing matched, on SQLite and PostgreSQL. */
describe.each(testDrivers())('explainRegistryMatch on $name', (driver) => {
  let db: TestDatabase;
  let handle: RegistryHandle;
  const at = new Date('2026-06-01T00:00:00Z');

  beforeAll(async () => {
    db = await driver.create();
    handle = await createRegistry({ database: db.database, lastSeenFlushSeconds: 0, logger: quietLogger(), clock: () => at });
  });
  afterAll(async () => {
    await handle?.close();
    await db?.drop();
  });

  it('names exact keys excluded by issuer scope or rotation window, then close values, and leaves unrelated ones out', async () => {
    const account = uniq('orders');
    const host = `${uniq('orders')}.clients.test`;
    const principal = buildPrincipal({ san: { dns: [host] } });
    await handle.admin.addAccount({ name: account, roles: [] });
    await handle.admin.bind({ account, kind: 'san-dns', value: host, issuer: 'CN=Another CA,O=Example' });
    await handle.admin.bind({ account, kind: 'san-dns', value: host, notAfter: new Date('2026-01-01T00:00:00Z') });
    await handle.admin.bind({ account, kind: 'san-dns', value: `x${host}` });
    await handle.admin.bind({ account, kind: 'san-dns', value: 'completely-unrelated.example' });
    await handle.admin.bind({ account, kind: 'fingerprint', value: randomSha256() });

    expect(await handle.registry.resolve(principal)).toBeNull();
    const { candidates } = await explainRegistryMatch(handle.dataSource, principal, at);
    expect(candidates.map((c) => [c.kind, c.value, c.why])).toEqual([
      expect.arrayContaining(['san-dns']),
      expect.arrayContaining(['san-dns']),
      ['san-dns', `x${host}`, 'value-differs'],
    ]);
    expect(
      candidates
        .slice(0, 2)
        .map((c) => c.why)
        .sort(),
    ).toEqual(['issuer-scope-differs', 'outside-rotation-window']);
    expect(candidates.every((c) => c.account === account && c.certificateValue === host)).toBe(true);
  });
});
