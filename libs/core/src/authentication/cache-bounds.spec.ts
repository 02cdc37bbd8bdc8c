import { issueCertificate } from '@client-cert-auth/dev-pki';
import { resolveOptions } from '../options/options.resolver';
import { ClientCertRegistry } from '../registry/client-cert-registry';
import type { ClientCertDecision } from './client-cert-decision';
import { ClientCertAuthenticator } from './client-cert.authenticator';
import { OneAccountRegistry } from './one-account.registry.spec-helper';

/**
 * `OneAccountRegistry` has no `generation`: the warm path is off and every success's verdict is
 * kept. The same data, never changing (generation 1), turns the warm path on, which then holds
 * returning clients instead of the verdict cache.
 */
class VersionedRegistry extends OneAccountRegistry {
  override generation(): number {
    return 1;
  }
}

const root = issueCertificate({ subject: 'CN=Bounds Root,O=Test', key: 'p-256', ca: true });
/** Certificates of one client (rotated): same names, own serial and key. */
const certificates = Array.from({ length: 4 }, () =>
  issueCertificate({ subject: 'CN=orders,O=Test', issuer: root, key: 'p-256', san: { dns: ['orders.clients.test'] } }),
);
const request = (der: Buffer) => ({ rawHeaders: ['Client-Cert', `:${der.toString('base64')}:`], remoteAddress: '127.0.0.1' });

function setup(cache: { maxEntries?: number; maxBytes?: number }, registry: ClientCertRegistry = new OneAccountRegistry()) {
  const decisions: ClientCertDecision[] = [];
  const authenticator = new ClientCertAuthenticator(
    resolveOptions({
      proxies: [{ name: 'waf', from: ['127.0.0.1/32'], format: 'rfc9440' }],
      trustAnchors: { pem: [root.pem] },
      revocation: { mode: 'off' },
      cache,
      decisions: { accepted: 'off', refused: 'off', onDecision: (d) => decisions.push(d) },
    }),
    registry,
  );
  /** The `cached` flag of each certificate's next decision (true: verdict cache hit). */
  const hits = async (order: number[]) => {
    const results: Array<boolean | undefined> = [];
    for (const n of order) {
      await authenticator.authenticate(request(certificates[n].der));
      results.push(decisions[decisions.length - 1].cached);
    }
    return results;
  };
  return { authenticator, hits };
}

/** Bytes the verdict cache counts for one of these certificates (they are alike). */
async function bytesPerVerdict(): Promise<number> {
  const { authenticator, hits } = setup({});
  await hits([0]);
  return (authenticator as unknown as { verdicts: { bytes: number } }).verdicts.bytes;
}

describe('ClientCertAuthenticator cache bounds', () => {
  it('reuses every verdict with the default bounds', async () => {
    const { hits } = setup({});
    expect(await hits([0, 1, 2, 3])).toEqual([false, false, false, false]);
    expect(await hits([0, 1, 2, 3])).toEqual([true, true, true, true]);
  });

  it('keeps as many verdicts as cache.maxBytes holds, the least recently used out first', async () => {
    const perVerdict = await bytesPerVerdict();
    expect(perVerdict).toBeGreaterThan(500);
    const { authenticator, hits } = setup({ maxBytes: Math.floor(2.5 * perVerdict) });
    expect(await hits([0, 1, 2])).toEqual([false, false, false]);
    expect((authenticator as unknown as { verdicts: { bytes: number } }).verdicts.bytes).toBeLessThanOrEqual(2.5 * perVerdict);
    // 0 went out when 2 came in; 2 and 1 stayed.
    expect(await hits([2, 1, 0])).toEqual([true, true, false]);
  });

  it('keeps as many as cache.maxEntries allows when bytes are plenty', async () => {
    const { hits } = setup({ maxEntries: 2 });
    expect(await hits([0, 1, 2])).toEqual([false, false, false]);
    expect(await hits([2, 1, 0])).toEqual([true, true, false]);
  });

  it('keeps nothing with cache.maxBytes 0, and still decides the same', async () => {
    const { hits } = setup({ maxBytes: 0 });
    expect(await hits([0, 0, 1])).toEqual([false, false, false]);
  });

  it('serves a returning client from the warm path within the byte bound, and refuses nothing it accepted before', async () => {
    const { authenticator, hits } = setup({ maxBytes: 64 * 1024 }, new VersionedRegistry());
    await hits([0, 0]);
    // From its second success on, the client is answered synchronously (warm path).
    expect(authenticator.authenticateWarm(request(certificates[0].der))).toBeDefined();
    expect(authenticator.authenticateWarm(request(certificates[1].der))).toBeUndefined();
  });

  it('does not keep a warm result larger than cache.maxBytes (the verdict, smaller, is still reused)', async () => {
    const perVerdict = await bytesPerVerdict();
    // A warm result holds the whole header (~600 characters here) and ~2.4 KB more: it does not fit.
    const { authenticator, hits } = setup({ maxBytes: perVerdict + 100 }, new VersionedRegistry());
    expect(await hits([0, 0, 0])).toEqual([false, true, true]);
    expect(authenticator.authenticateWarm(request(certificates[0].der))).toBeUndefined();
  });
});
