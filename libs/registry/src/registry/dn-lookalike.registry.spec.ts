import { createPrincipal, parseCertificate } from '@client-cert-auth/core';
import { issueCertificate } from '@client-cert-auth/dev-pki';
import { createRegistry, type RegistryHandle } from '../factory/create-registry';
import { quietLogger, uniq } from '../testing/principal.builder';
import { type TestDatabase, testDrivers } from '../testing/registry-test.drivers';

/**
 * Issue 13, finding 4 with real certificates: a subject binding for a name is not matched by a
 * certificate whose subject only looks like it.
 */
describe.each(testDrivers())('subject bindings and look-alike certificates on $name', (driver) => {
  let db: TestDatabase;
  let handle: RegistryHandle;
  const ca = issueCertificate({ subject: 'CN=Look-alike Test CA', ca: true });
  const principalOf = (subject: string) => {
    const leaf = issueCertificate({ subject, issuer: ca });
    return createPrincipal([parseCertificate(leaf.der), parseCertificate(ca.der)], { profile: 'test', format: 'pem' });
  };

  beforeAll(async () => {
    db = await driver.create();
    handle = await createRegistry({ database: db.database, lastSeenFlushSeconds: 0, logger: quietLogger() });
  });
  afterAll(async () => {
    await handle?.close();
    await db?.drop();
  });

  it.each([
    ['CN=\uFF21\uFF24\uFF2D\uFF29\uFF2E', 'CN=admin'],
    ['CN=svc,O=Example  Org', 'CN=svc,O=Example Org'],
    ['CN=svc,O=Example\u00A0Org', 'CN=svc,O=Example Org'],
    ['CN=svc,O=Example \u2134rg', 'CN=svc,O=Example Org'],
    ['CN=alice\uFF0CO\uFF1DExample Org', 'CN=alice\\,O\\=Example Org'],
  ])('a certificate for %j does not resolve to the binding %j (which its own name does)', async (lookalike, bound) => {
    const name = uniq('lookalike');
    await handle.admin.addAccount({ name });
    await handle.admin.bind({ account: name, kind: 'subject', value: bound });
    await expect(handle.registry.resolve(principalOf(lookalike))).resolves.toBeNull();
    await expect(handle.registry.resolve(principalOf(bound))).resolves.toMatchObject({ account: { name } });
    await handle.admin.unbind({ kind: 'subject', value: bound });
  });
});
