import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientCertAuthenticator } from '@client-cert-auth/core';
import { resolveOptions } from '@client-cert-auth/core';
import type { RevocationOptions } from '@client-cert-auth/core';
import { ClientCertRegistry } from '@client-cert-auth/core';
import type { RegistryMatch } from '@client-cert-auth/core';
import { OpensslCa, type IssuedCert } from './support/openssl-ca';

/** Every certificate belongs to one account; the generation never changes (registry writes are tested elsewhere). */
class StaticRegistry extends ClientCertRegistry {
  resolves = 0;
  private readonly match: RegistryMatch = {
    account: { id: 'a1', name: 'partners', status: 'active', roles: [] },
    binding: { id: 'b1', kind: 'subject', value: 'any' },
  };
  async resolve(): Promise<RegistryMatch> {
    this.resolves++;
    return this.match;
  }
  async isDenied(): Promise<boolean> {
    return false;
  }
  override generation(): number {
    return 0;
  }
}

/** The warm path must never serve an answer the revocation data no longer supports. */
describe('warm path and revocation data', () => {
  const root = mkdtempSync(join(tmpdir(), 'warm-revocation-'));
  const ca = OpensslCa.create(join(root, 'ca'), { name: 'Warm Path CA' });
  const [alice, bob] = [ca.issue('alice'), ca.issue('bob')];
  const authenticators: ClientCertAuthenticator[] = [];
  const request = (cert: IssuedCert) => ({ rawHeaders: ['Client-Cert', `:${cert.der.toString('base64')}:`], remoteAddress: '127.0.0.1' });

  async function setup(revocation: RevocationOptions) {
    const registry = new StaticRegistry();
    const authenticator = new ClientCertAuthenticator(
      resolveOptions({
        proxies: [{ name: 'waf', from: ['127.0.0.1/32'], format: 'rfc9440' }],
        trustAnchors: { pem: [readFileSync(ca.cert.certPath, 'utf8')] },
        revocation: { ...revocation, ocsp: { enabled: false } },
        decisions: { accepted: 'off', refused: 'off' },
      }),
      registry,
    );
    authenticators.push(authenticator);
    await authenticator.onApplicationBootstrap();
    return { authenticator, registry };
  }

  afterAll(() => {
    authenticators.forEach((a) => a.onModuleDestroy());
    rmSync(root, { recursive: true, force: true });
  });

  it('a refreshed CRL that revokes the certificate ends its warm path, and the slow path refuses it', async () => {
    const file = ca.gencrl('refresh.crl');
    const { authenticator } = await setup({ mode: 'hard-fail', crl: { files: [file], refreshIntervalMs: 100 } });
    // Twice each: a key is admitted to the warm path on its second success.
    for (const cert of [bob, bob, alice, alice]) await authenticator.authenticate(request(cert));
    expect(authenticator.authenticateWarm(request(bob))).toBeDefined();

    ca.revoke(bob);
    ca.gencrl('refresh.crl');
    const deadline = Date.now() + 3000;
    while (authenticator.authenticateWarm(request(bob)) !== undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(authenticator.authenticateWarm(request(bob))).toBeUndefined();
    await expect(authenticator.authenticate(request(bob))).rejects.toMatchObject({ code: 'CERT_REVOKED' });
    // Any change of the data drops every warm entry; alice is warm again after one slow request.
    expect(authenticator.authenticateWarm(request(alice))).toBeUndefined();
    await authenticator.authenticate(request(alice));
    expect(authenticator.authenticateWarm(request(alice))).toBeDefined();
  });

  it.each<[string, RevocationOptions]>([
    ['soft-fail without revocation data (unknown)', { mode: 'soft-fail' }],
    ['soft-fail with an expired CRL (unknown)', { mode: 'soft-fail', crl: { files: ['expired'] } }],
  ])('never stores a success reached with %s: it keeps asking', async (_label, revocation) => {
    const files = revocation.crl?.files?.map(() =>
      ca.gencrl('expired.crl', { window: { last: new Date(Date.now() - 7200_000), next: new Date(Date.now() - 3600_000) } }),
    );
    const { authenticator, registry } = await setup({ ...revocation, crl: files ? { files } : undefined });
    await authenticator.authenticate(request(alice));
    await authenticator.authenticate(request(alice));
    expect(authenticator.authenticateWarm(request(alice))).toBeUndefined();
    await authenticator.authenticate(request(alice));
    expect(registry.resolves).toBe(3);
  });

  it('stores a success when a per-anchor override turns revocation off', async () => {
    const { authenticator } = await setup({ mode: 'soft-fail', anchors: [{ subject: ca.cert.parsed.subject.rfc4514, mode: 'off' }] });
    await authenticator.authenticate(request(alice));
    await authenticator.authenticate(request(alice));
    expect(authenticator.authenticateWarm(request(alice))).toBeDefined();
  });
});
