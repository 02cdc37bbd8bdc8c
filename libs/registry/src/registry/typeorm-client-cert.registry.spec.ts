import type { BindingKind } from '@client-cert-auth/core';
import { createRegistry, type RegistryHandle } from '../factory/create-registry';
import { buildPrincipal, quietLogger, randomSha256, uniq } from '../testing/principal.builder';
import { type TestDatabase, testDrivers } from '../testing/registry-test.drivers';

describe.each(testDrivers())('TypeOrmClientCertRegistry on $name', (driver) => {
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

  async function account(roles: string[] = ['orders:read']): Promise<string> {
    const name = uniq('acct');
    await handle.admin.addAccount({ name, roles });
    return name;
  }

  const r = () => randomSha256().slice(0, 8);
  const cases: Array<[BindingKind, () => { principal: ReturnType<typeof buildPrincipal>; value: string }]> = [
    [
      'fingerprint',
      () => {
        const fp = randomSha256();
        return { principal: buildPrincipal({ fingerprintSha256: fp }), value: fp.toUpperCase().match(/../g)!.join(':') };
      },
    ],
    [
      'spki',
      () => {
        const spki = randomSha256();
        return { principal: buildPrincipal({ spkiSha256: spki }), value: spki };
      },
    ],
    [
      'issuer-serial',
      () => {
        const ca = `CN=Issuing CA ${r()},O=Example`;
        return { principal: buildPrincipal({ issuer: ca, serialNumber: '00ab12' }), value: `${ca.toLowerCase().replace(',', ' , ')}|AB:12` };
      },
    ],
    [
      'spiffe',
      () => {
        const id = `spiffe://example.org/ns/prod/sa/${r()}`;
        return { principal: buildPrincipal({ spiffeId: id, san: { uri: [id] } }), value: id };
      },
    ],
    [
      'san-uri',
      () => {
        const uri = `urn:example:client:${r()}`;
        return { principal: buildPrincipal({ san: { uri: [uri] } }), value: uri };
      },
    ],
    [
      'san-dns',
      () => {
        const dns = `api-${r()}.example.com`;
        return { principal: buildPrincipal({ san: { dns: [dns.toUpperCase() + '.'] } }), value: dns };
      },
    ],
    [
      'san-email',
      () => {
        const local = `Ops${r()}`;
        return { principal: buildPrincipal({ san: { email: [`${local}@EXAMPLE.com`] } }), value: `${local}@example.COM` };
      },
    ],
    [
      'subject',
      () => {
        const cn = `Orders  Client ${r()}`;
        return { principal: buildPrincipal({ subject: `CN=${cn},O=Example` }), value: `cn=${cn.toLowerCase()} , o=EXAMPLE` };
      },
    ],
  ];

  it.each(cases)('resolves a %s binding (value normalized as the principal is)', async (kind, make) => {
    const name = await account(['orders:read', 'orders:write']);
    const { principal, value } = make();
    const bound = await handle.admin.bind({ account: name, kind, value });
    const match = await handle.registry.resolve(principal);
    expect(match).toEqual({
      account: expect.objectContaining({ name, status: 'active', roles: ['orders:read', 'orders:write'] }),
      binding: { id: bound.id, kind, value: bound.value },
    });
  });

  it.each(cases)('does not resolve a certificate without the %s value', async (kind, make) => {
    const name = await account();
    await handle.admin.bind({ account: name, kind, value: make().value });
    await expect(handle.registry.resolve(make().principal)).resolves.toBeNull();
  });

  it("reports the strongest of one account's bindings", async () => {
    const name = await account();
    const fp = randomSha256();
    const subject = `CN=${uniq('strong')}`;
    await handle.admin.bind({ account: name, kind: 'subject', value: subject });
    await handle.admin.bind({ account: name, kind: 'fingerprint', value: fp });
    const match = await handle.registry.resolve(buildPrincipal({ fingerprintSha256: fp, subject }));
    expect(match?.binding.kind).toBe('fingerprint');
  });

  it('refuses two accounts at the same level with IDENTITY_AMBIGUOUS', async () => {
    const [a, b] = [await account(), await account()];
    const [dnsA, dnsB] = [`${uniq('a')}.example.com`, `${uniq('b')}.example.com`];
    await handle.admin.bind({ account: a, kind: 'san-dns', value: dnsA });
    await handle.admin.bind({ account: b, kind: 'san-dns', value: dnsB });
    await expect(handle.registry.resolve(buildPrincipal({ san: { dns: [dnsA, dnsB] } }))).rejects.toMatchObject({
      code: 'IDENTITY_AMBIGUOUS',
      details: expect.objectContaining({ accounts: [a, b].sort() }),
    });
  });

  it('refuses two accounts at different levels by default (any-level), picks the strongest under strongest-level', async () => {
    const [pinned, bySubject] = [await account(), await account()];
    const fp = randomSha256();
    const subject = `CN=${uniq('shared')}`;
    await handle.admin.bind({ account: pinned, kind: 'fingerprint', value: fp });
    await handle.admin.bind({ account: bySubject, kind: 'subject', value: subject });
    const principal = buildPrincipal({ fingerprintSha256: fp, subject });
    await expect(handle.registry.resolve(principal)).rejects.toMatchObject({ code: 'IDENTITY_AMBIGUOUS' });
    const lenient = await createRegistry({ database: db.database, ambiguity: 'strongest-level', lastSeenFlushSeconds: 0, logger: quietLogger() });
    try {
      await expect(lenient.registry.resolve(principal)).resolves.toMatchObject({ account: { name: pinned }, binding: { kind: 'fingerprint' } });
    } finally {
      await lenient.close();
    }
  });

  it.each([
    ['an issuer DN', 'CN=Partner CA,O=Partner', { issuer: 'cn=partner ca, o=partner' }, { issuer: 'CN=Other CA,O=Partner' }],
    [
      'a CA fingerprint',
      `sha256:${'ab'.repeat(32)}`,
      { chainFingerprints: [randomSha256(), 'ab'.repeat(32)] },
      { chainFingerprints: [randomSha256(), 'cd'.repeat(32)] },
    ],
    [
      'the issuing CA key',
      `spki:${'AB'.repeat(32)}`,
      { issuerSpkiSha256: 'ab'.repeat(32) },
      { issuerSpkiSha256: 'cd'.repeat(32), issuer: 'CN=Issuing CA,O=Example' },
    ],
    ['the trust anchor key', `spki:${'ef'.repeat(32)}`, { anchorSpkiSha256: 'ef'.repeat(32) }, { anchorSpkiSha256: 'cd'.repeat(32) }],
  ])('honours an issuer scope given as %s', async (_label, scope, inside, outside) => {
    const name = await account();
    const subject = `CN=${uniq('scoped')}`;
    await handle.admin.bind({ account: name, kind: 'subject', value: subject, issuer: scope });
    await expect(handle.registry.resolve(buildPrincipal({ subject, ...inside }))).resolves.toMatchObject({ account: { name } });
    await expect(handle.registry.resolve(buildPrincipal({ subject, ...outside }))).resolves.toBeNull();
  });

  it('lets the same value be bound under two issuer scopes to two accounts', async () => {
    const [a, b] = [await account(), await account()];
    const subject = `CN=${uniq('twin')}`;
    await handle.admin.bind({ account: a, kind: 'subject', value: subject, issuer: 'CN=CA A' });
    await handle.admin.bind({ account: b, kind: 'subject', value: subject, issuer: 'CN=CA B' });
    await expect(handle.registry.resolve(buildPrincipal({ subject, issuer: 'CN=CA B' }))).resolves.toMatchObject({ account: { name: b } });
    await expect(handle.admin.bind({ account: a, kind: 'subject', value: subject, issuer: 'cn=ca a' })).rejects.toMatchObject({ reason: 'CONFLICT' });
  });

  it('honours rotation windows, and a cached answer ends at the window edge', async () => {
    const name = await account();
    const fp = randomSha256();
    let now = new Date('2030-01-01T00:00:00Z');
    const clocked = await createRegistry({ database: db.database, clock: () => now, lastSeenFlushSeconds: 0, logger: quietLogger() });
    try {
      await handle.admin.bind({
        account: name,
        kind: 'fingerprint',
        value: fp,
        notBefore: new Date('2030-01-01T01:00:00Z'),
        notAfter: new Date('2030-01-01T02:00:00Z'),
      });
      const principal = buildPrincipal({ fingerprintSha256: fp });
      await expect(clocked.registry.resolve(principal)).resolves.toBeNull();
      now = new Date('2030-01-01T01:00:00Z');
      await expect(clocked.registry.resolve(principal)).resolves.toMatchObject({ account: { name } });
      now = new Date('2030-01-01T01:59:59.999Z');
      await expect(clocked.registry.resolve(principal)).resolves.toMatchObject({ account: { name } });
      now = new Date('2030-01-01T02:00:00Z');
      await expect(clocked.registry.resolve(principal)).resolves.toBeNull();
    } finally {
      await clocked.close();
    }
  });

  it('returns disabled accounts (the guard decides ACCOUNT_DISABLED) and sees status and role changes at once', async () => {
    const name = await account(['a']);
    const fp = randomSha256();
    await handle.admin.bind({ account: name, kind: 'fingerprint', value: fp });
    const principal = buildPrincipal({ fingerprintSha256: fp });
    await expect(handle.registry.resolve(principal)).resolves.toMatchObject({ account: { status: 'active', roles: ['a'] } });
    await handle.admin.disable(name);
    await expect(handle.registry.resolve(principal)).resolves.toMatchObject({ account: { status: 'disabled' } });
    await handle.admin.enable(name);
    await handle.admin.setRoles(name, ['z', 'b', 'b']);
    await expect(handle.registry.resolve(principal)).resolves.toMatchObject({ account: { status: 'active', roles: ['b', 'z'] } });
  });

  it('forgets a binding as soon as it is removed', async () => {
    const name = await account();
    const fp = randomSha256();
    await handle.admin.bind({ account: name, kind: 'fingerprint', value: fp });
    const principal = buildPrincipal({ fingerprintSha256: fp });
    await expect(handle.registry.resolve(principal)).resolves.not.toBeNull();
    await expect(handle.admin.unbind({ kind: 'fingerprint', value: fp })).resolves.toBe(1);
    await expect(handle.registry.resolve(principal)).resolves.toBeNull();
  });

  it('checks the deny-list by fingerprint and by issuer + serial', async () => {
    const cert = { fingerprintSha256: randomSha256(), issuer: `CN=${uniq('ca')},O=Example`, serialNumber: '00c0ffee' };
    await expect(handle.registry.isDenied(cert)).resolves.toBe(false);
    await handle.admin.deny({ fingerprint: cert.fingerprintSha256.toUpperCase() }, 'key leaked');
    await expect(handle.registry.isDenied(cert)).resolves.toBe(true);
    await expect(handle.admin.undeny({ fingerprint: cert.fingerprintSha256 })).resolves.toBe(true);
    await expect(handle.registry.isDenied(cert)).resolves.toBe(false);
    await handle.admin.deny({ issuer: cert.issuer.toLowerCase(), serial: 'C0:FF:EE' });
    await expect(handle.registry.isDenied(cert)).resolves.toBe(true);
    expect((await handle.admin.listDenied()).map((d) => d.kind)).toContain('issuer-serial');
  });

  it('writes last-seen in one batch, never per request', async () => {
    const name = await account();
    const fp = randomSha256();
    await handle.admin.bind({ account: name, kind: 'fingerprint', value: fp });
    for (let i = 0; i < 5; i++) await handle.registry.resolve(buildPrincipal({ fingerprintSha256: fp }));
    expect((await handle.admin.getAccount(name)).lastSeenAt).toBeNull();
    await handle.registry.flushLastSeen();
    expect((await handle.admin.getAccount(name)).lastSeenAt).not.toBeNull();
  });

  it('flushes last-seen on its own timer', async () => {
    const name = await account();
    const fp = randomSha256();
    await handle.admin.bind({ account: name, kind: 'fingerprint', value: fp });
    const timed = await createRegistry({ database: db.database, lastSeenFlushSeconds: 0.1, logger: quietLogger() });
    try {
      await timed.registry.resolve(buildPrincipal({ fingerprintSha256: fp }));
      const deadline = Date.now() + 2000;
      while ((await handle.admin.getAccount(name)).lastSeenAt === null) {
        if (Date.now() > deadline) throw new Error('last-seen never flushed');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await timed.close();
    }
  });

  it('rejects admin input it cannot normalize', async () => {
    const name = await account();
    await expect(handle.admin.bind({ account: name, kind: 'fingerprint', value: 'xyz' })).rejects.toMatchObject({ reason: 'INVALID' });
    await expect(handle.admin.bind({ account: name, kind: 'issuer-serial', value: 'CN=x' })).rejects.toMatchObject({ reason: 'INVALID' });
    await expect(handle.admin.bind({ account: 'nobody', kind: 'spki', value: randomSha256() })).rejects.toMatchObject({ reason: 'NOT_FOUND' });
    await expect(handle.admin.addAccount({ name })).rejects.toMatchObject({ reason: 'CONFLICT' });
  });

  it('applies migrations once', async () => {
    await expect(handle.admin.migrate()).resolves.toEqual([]);
  });
});
