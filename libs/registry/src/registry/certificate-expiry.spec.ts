import { createRegistry, type RegistryHandle } from '../factory/create-registry';
import { buildPrincipal, quietLogger, randomSha256, uniq } from '../testing/principal.builder';
import { QueryCountingLogger } from '../testing/query-counting.logger';
import { type TestDatabase, testDrivers } from '../testing/registry-test.drivers';

const DAY = 86_400_000;
/** Whole seconds: every dialect stores them exactly (SQLite keeps ms, PostgreSQL µs). */
const inDays = (days: number) => new Date(Math.floor((Date.now() + days * DAY) / 1000) * 1000);

describe.each(testDrivers())('certificate expiry per binding on $name', (driver) => {
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

  /** An account with one binding of `kind`; returns its name and the binding's id. */
  async function bound(kind: 'fingerprint' | 'subject', value: string, status: 'active' | 'disabled' = 'active') {
    const name = uniq('acct');
    await handle.admin.addAccount({ name, roles: [], status });
    const binding = await handle.admin.bind({ account: name, kind, value });
    return { name, bindingId: binding.id };
  }
  const bindingOf = async (name: string, id: string) => (await handle.admin.getAccount(name)).bindings!.find((b) => b.id === id)!;

  it('records the notAfter and fingerprint of a certificate expiring in 10 days after a flush, not before', async () => {
    const fp = randomSha256();
    const { name, bindingId } = await bound('fingerprint', fp);
    const notAfter = inDays(10);
    await handle.registry.resolve(buildPrincipal({ fingerprintSha256: fp, notAfter }));

    expect(await bindingOf(name, bindingId)).toEqual(expect.objectContaining({ lastCertificate: null }));
    await handle.registry.flushLastSeen();
    expect((await bindingOf(name, bindingId)).lastCertificate).toEqual({ fingerprintSha256: fp, notAfter: notAfter.toISOString() });
  });

  it('lists that binding as expiring within 30 days, not within 5', async () => {
    const fp = randomSha256();
    const { name, bindingId } = await bound('fingerprint', fp);
    await handle.registry.resolve(buildPrincipal({ fingerprintSha256: fp, notAfter: inDays(10) }));
    await handle.registry.flushLastSeen();

    const within30 = await handle.admin.listExpiring(inDays(30));
    const listed = within30.find((a) => a.name === name);
    expect(listed?.bindings?.map((b) => b.id)).toEqual([bindingId]);
    expect((await handle.admin.listExpiring(inDays(5))).find((a) => a.name === name)).toBeUndefined();
    // Soonest first.
    const soonest = within30.map((a) => Date.parse(a.bindings![0].lastCertificate!.notAfter));
    expect(soonest).toEqual([...soonest].sort((x, y) => x - y));
  });

  it('lists a certificate that already expired, and nothing for a binding never seen', async () => {
    const fp = randomSha256();
    const { name } = await bound('fingerprint', fp);
    const unseen = await bound('fingerprint', randomSha256());
    await handle.registry.resolve(buildPrincipal({ fingerprintSha256: fp, notBefore: new Date(Date.now() - 30 * DAY), notAfter: inDays(-2) }));
    await handle.registry.flushLastSeen();
    const names = (await handle.admin.listExpiring(inDays(0))).map((a) => a.name);
    expect(names).toContain(name);
    expect(names).not.toContain(unseen.name);
  });

  it('keeps the certificate seen last when one binding matches several (a rotation under a subject binding)', async () => {
    const cn = `rotating ${randomSha256().slice(0, 8)}`;
    const { name, bindingId } = await bound('subject', `CN=${cn},O=Example`);
    const soon = inDays(3);
    const old = buildPrincipal({ subject: `CN=${cn},O=Example`, notAfter: soon });
    const renewed = buildPrincipal({ subject: `CN=${cn},O=Example`, notAfter: inDays(365) });
    const oldMatch = (await handle.registry.resolve(old))!;
    await handle.registry.resolve(renewed);
    await handle.registry.flushLastSeen();
    expect((await bindingOf(name, bindingId)).lastCertificate?.fingerprintSha256).toBe(renewed.fingerprintSha256);

    // The warm path reports a sighting with `touch(match)` alone: it still names its certificate.
    handle.registry.touch(oldMatch);
    await handle.registry.flushLastSeen();
    expect((await bindingOf(name, bindingId)).lastCertificate).toEqual({ fingerprintSha256: old.fingerprintSha256, notAfter: soon.toISOString() });
  });

  it('writes a flush of many sightings in one UPDATE per table, and nothing per request', async () => {
    const seen: Array<ReturnType<typeof buildPrincipal>> = [];
    for (let i = 0; i < 5; i++) {
      const fp = randomSha256();
      await bound('fingerprint', fp);
      seen.push(buildPrincipal({ fingerprintSha256: fp, notAfter: inDays(10 + i) }));
    }
    const during = await sql.during(async () => {
      for (const principal of seen) await handle.registry.resolve(principal);
    });
    expect(during.filter((q) => /^\s*UPDATE/i.test(q))).toEqual([]);
    const flush = await sql.during(() => handle.registry.flushLastSeen());
    const updates = flush.filter((q) => /^\s*UPDATE/i.test(q));
    expect(updates).toHaveLength(2);
    expect(updates.filter((q) => q.includes('cc_bindings'))).toHaveLength(1);
  });

  it('splits a flush of more than 300 bindings into UPDATEs of 300 and writes every one', async () => {
    const name = uniq('acct');
    await handle.admin.addAccount({ name, roles: [] });
    const notAfter = inDays(20);
    const fps = Array.from({ length: 301 }, () => randomSha256());
    for (const fp of fps) await handle.admin.bind({ account: name, kind: 'fingerprint', value: fp });
    for (const fp of fps) await handle.registry.resolve(buildPrincipal({ fingerprintSha256: fp, notAfter }));
    const flush = await sql.during(() => handle.registry.flushLastSeen());
    expect(flush.filter((q) => /^\s*UPDATE/i.test(q) && q.includes('cc_bindings'))).toHaveLength(2);
    const recorded = (await handle.admin.getAccount(name)).bindings!.map((b) => b.lastCertificate);
    expect(new Set(recorded.map((c) => c?.fingerprintSha256))).toEqual(new Set(fps));
    expect(recorded.every((c) => c?.notAfter === notAfter.toISOString())).toBe(true);
  });

  it('keeps the sightings of a flush that failed and writes them with the next one', async () => {
    const fp = randomSha256();
    const { name, bindingId } = await bound('fingerprint', fp);
    const notAfter = inDays(12);
    await handle.registry.resolve(buildPrincipal({ fingerprintSha256: fp, notAfter }));
    const table = db.database.type === 'postgres' ? `"${db.database.schema}"."cc_bindings"` : '"cc_bindings"';
    // A real database error on the UPDATE: the column it writes is gone for a moment.
    await handle.dataSource.query(`ALTER TABLE ${table} RENAME COLUMN "last_cert_fingerprint" TO "away"`);
    try {
      await handle.registry.flushLastSeen();
    } finally {
      await handle.dataSource.query(`ALTER TABLE ${table} RENAME COLUMN "away" TO "last_cert_fingerprint"`);
    }
    expect((await bindingOf(name, bindingId)).lastCertificate).toBeNull();
    await handle.registry.flushLastSeen();
    expect((await bindingOf(name, bindingId)).lastCertificate).toEqual({ fingerprintSha256: fp, notAfter: notAfter.toISOString() });
  });

  it('reports the soonest expiry per active account, soonest first and bounded', async () => {
    const [in36h, in60h, in40d, in12h] = [inDays(1.5), inDays(2.5), inDays(40), inDays(0.5)];
    const mine = async (notAfters: Date[], status: 'active' | 'disabled' = 'active') => {
      const name = uniq('acct');
      await handle.admin.addAccount({ name, roles: [], status });
      for (const notAfter of notAfters) {
        const fp = randomSha256();
        await handle.admin.bind({ account: name, kind: 'fingerprint', value: fp });
        await handle.registry.resolve(buildPrincipal({ fingerprintSha256: fp, notAfter }));
      }
      return name;
    };
    const two = await mine([in40d, in36h]);
    const one = await mine([in60h]);
    const disabled = await mine([in12h], 'disabled');
    await handle.registry.flushLastSeen();

    const all = await handle.registry.soonestExpiries(1000);
    const byName = new Map(all.map((e) => [e.account, e.notAfter.toISOString()]));
    expect(byName.get(two)).toBe(in36h.toISOString());
    expect(byName.get(one)).toBe(in60h.toISOString());
    // A disabled account is refused anyway: its certificate is no one's deadline.
    expect(byName.has(disabled)).toBe(false);
    const times = all.map((e) => e.notAfter.getTime());
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(await handle.registry.soonestExpiries(1)).toHaveLength(1);
  });
});
