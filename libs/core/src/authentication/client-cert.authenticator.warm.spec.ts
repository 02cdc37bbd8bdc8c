import { createHmac, randomUUID } from 'node:crypto';
import { issueCertificate } from '@client-cert-auth/dev-pki';
import { clearedParseSpy } from './parser-spy.spec-helper';
import { CertificatePathValidator } from '../certificate/path.validator';
import type { ProxyProfileOptions } from '../options/proxy-profile.options';
import { resolveOptions } from '../options/options.resolver';
import type { ClientCertPrincipal } from '../principal/client-cert-principal';
import { ClientCertRegistry } from '../registry/client-cert-registry';
import type { RegistryMatch } from '../registry/client-account';
import type { ClientCertDecision } from './client-cert-decision';
import { ClientCertAuthenticator } from './client-cert.authenticator';
import type { VerdictCache } from './verdict.cache';

// The parser module, with a spy on parseCertificate (see parser-spy.spec-helper.ts).
jest.mock('../certificate/certificate.parser', () => {
  const actual = jest.requireActual('../certificate/certificate.parser');
  return { ...actual, parseCertificate: jest.fn(actual.parseCertificate) };
});

/** An in-memory registry with the warm-path extensions: a generation bumped by `write()`. */
class GenerationRegistry extends ClientCertRegistry {
  resolves = 0;
  touched: string[] = [];
  gen: number | undefined = 0;
  horizon = Infinity;
  match: RegistryMatch | null = {
    account: { id: 'a1', name: 'orders-app', status: 'active', roles: ['orders:read'] },
    binding: { id: 'b1', kind: 'san-dns', value: 'orders.clients.test' },
  };
  async resolve(_principal: ClientCertPrincipal): Promise<RegistryMatch | null> {
    this.resolves++;
    return this.match;
  }
  async isDenied(): Promise<boolean> {
    return false;
  }
  override generation(): number | undefined {
    return this.gen;
  }
  override touch(match: RegistryMatch): void {
    this.touched.push(match.account.id);
  }
  override reusableUntil(): number {
    return this.horizon;
  }
  write(change: (registry: this) => void): void {
    change(this);
    this.gen = (this.gen ?? 0) + 1;
  }
}

const root = issueCertificate({ subject: 'CN=Warm Spec Root,O=Test', key: 'p-256', ca: true });
const client = issueCertificate({ subject: 'CN=orders,O=Test', issuer: root, san: { dns: ['orders.clients.test'] } });
const CERT = `:${client.der.toString('base64')}:`;
const SECRET = 's'.repeat(32);
const HMAC_KEY = 'k'.repeat(40);
type Headers = string[];
const request = (rawHeaders: Headers, remoteAddress = '127.0.0.1') => ({ rawHeaders, remoteAddress });

/** Two successes: a key is admitted to the warm path on its second. */
async function warmUp(authenticator: ClientCertAuthenticator, req: ReturnType<typeof request>, roles?: string[]) {
  await authenticator.authenticate(req, roles);
  return authenticator.authenticate(req, roles);
}

function setup(profile: Partial<ProxyProfileOptions> = {}, cache?: { ttlSeconds?: number }) {
  const decisions: ClientCertDecision[] = [];
  const registry = new GenerationRegistry();
  const authenticator = new ClientCertAuthenticator(
    resolveOptions({
      proxies: [{ name: 'waf', from: ['127.0.0.1/32', '127.0.0.2/32'], format: 'rfc9440', ...profile }],
      trustAnchors: { pem: [root.pem] },
      revocation: { mode: 'off' },
      cache,
      decisions: { accepted: 'off', refused: 'off', onDecision: (d) => decisions.push(d) },
    }),
    registry,
  );
  const spies = () => ({
    parse: clearedParseSpy(),
    validate: jest.spyOn(CertificatePathValidator.prototype, 'validate'),
  });
  return { authenticator, registry, decisions, spies };
}

describe('ClientCertAuthenticator warm path', () => {
  afterEach(() => {
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  it('answers a warm request synchronously, with no parse, validation or registry lookup, and the same frozen object', async () => {
    const { authenticator, registry, decisions, spies } = setup();
    const first = await warmUp(authenticator, request(['Client-Cert', CERT]));
    const { parse, validate } = spies();
    const resolve = jest.spyOn(registry, 'resolve');
    const second = authenticator.authenticateWarm(request(['Client-Cert', CERT]));
    expect(second).toBe(first);
    expect(Object.isFrozen(second)).toBe(true);
    expect(Object.isFrozen(second!.principal)).toBe(true);
    expect(parse).not.toHaveBeenCalled();
    expect(validate).not.toHaveBeenCalled();
    expect(resolve).not.toHaveBeenCalled();
    expect(registry.touched).toEqual(['a1']);
    // Cold (decoded; seen once), cold (decoded again: the warm path, not the verdict cache,
    // holds a returning client; admitted), warm.
    expect(decisions.map((d) => [d.result, d.cached, d.revocationMs === 0])).toEqual([
      ['OK', false, false],
      ['OK', false, false],
      ['OK', true, true],
    ]);
    expect(decisions[2]).toMatchObject({ remoteAddress: '127.0.0.1', profile: 'waf', account: 'orders-app', binding: 'san-dns:orders.clients.test' });
    // authenticate() (the Passport strategy's entry) takes the warm path too.
    await expect(authenticator.authenticate(request(['Client-Cert', CERT]))).resolves.toBe(first);
    expect(registry.resolves).toBe(2);
    expect(decisions).toHaveLength(4);
  });

  it('records a decision on every warm hit', async () => {
    const { authenticator, decisions } = setup();
    await warmUp(authenticator, request(['Client-Cert', CERT]));
    const before = decisions.length;
    for (let i = 0; i < 5; i++) authenticator.authenticateWarm(request(['Client-Cert', CERT]));
    expect(decisions.slice(before).map((d) => [d.result, d.cached])).toEqual(Array(5).fill(['OK', true]));
  });

  it('enforces the roles of each route on a warm hit, and records the refusal', async () => {
    const { authenticator, decisions } = setup();
    await warmUp(authenticator, request(['Client-Cert', CERT]), ['orders:read']);
    expect(authenticator.authenticateWarm(request(['Client-Cert', CERT]), ['orders:read'])).toBeDefined();
    expect(() => authenticator.authenticateWarm(request(['Client-Cert', CERT]), ['orders:read', 'orders:write'])).toThrow(
      expect.objectContaining({ code: 'ROLE_MISSING' }),
    );
    expect(decisions.at(-1)).toMatchObject({ result: 'ROLE_MISSING', account: 'orders-app', cached: true, reason: expect.stringContaining('orders:write') });
  });

  it('drops warm entries when the registry generation changes (unbind, disable, deny)', async () => {
    const { authenticator, registry } = setup();
    await warmUp(authenticator, request(['Client-Cert', CERT]));
    registry.write((r) => (r.match = { ...r.match!, account: { ...r.match!.account, status: 'disabled' } }));
    expect(authenticator.authenticateWarm(request(['Client-Cert', CERT]))).toBeUndefined();
    await expect(authenticator.authenticate(request(['Client-Cert', CERT]))).rejects.toMatchObject({ code: 'ACCOUNT_DISABLED' });
    // A disabled account is never stored.
    expect(authenticator.authenticateWarm(request(['Client-Cert', CERT]))).toBeUndefined();
  });

  it('has no warm path while the registry reports no generation (e.g. LISTEN down)', async () => {
    const { authenticator, registry } = setup();
    await warmUp(authenticator, request(['Client-Cert', CERT]));
    registry.gen = undefined;
    expect(authenticator.authenticateWarm(request(['Client-Cert', CERT]))).toBeUndefined();
  });

  it('does not store an entry when an invalidation happened while the pipeline ran', async () => {
    const { authenticator, registry } = setup();
    await authenticator.authenticate(request(['Client-Cert', CERT])); // seen once: the next success is admitted
    const original = registry.resolve.bind(registry);
    jest.spyOn(registry, 'resolve').mockImplementationOnce(async (p) => {
      const match = await original(p);
      registry.write(() => undefined); // a concurrent write, after the answer was read
      return match;
    });
    await authenticator.authenticate(request(['Client-Cert', CERT]));
    expect(authenticator.authenticateWarm(request(['Client-Cert', CERT]))).toBeUndefined();
  });

  it.each<[string, Headers, string]>([
    ['the certificate header sent twice', ['Client-Cert', CERT, 'Client-Cert', CERT], '127.0.0.1'],
    ['another peer address of the same profile', ['Client-Cert', CERT], '127.0.0.2'],
    ['an untrusted peer', ['Client-Cert', CERT], '10.9.9.9'],
    ['no certificate header', ['X-Other', 'x'], '127.0.0.1'],
    ['the header name with "_" instead of "-"', ['Client_Cert', CERT], '127.0.0.1'],
  ])('misses the warm path for %s', async (_label, headers, address) => {
    const { authenticator } = setup();
    await warmUp(authenticator, request(['Client-Cert', CERT]));
    expect(authenticator.authenticateWarm(request(headers, address))).toBeUndefined();
  });

  it('misses the warm path when a verdict header value changes, and the slow path refuses it', async () => {
    const { authenticator } = setup({ verdicts: [{ header: 'X-Verify', expect: 'SUCCESS' }] });
    await warmUp(authenticator, request(['Client-Cert', CERT, 'X-Verify', 'SUCCESS']));
    expect(authenticator.authenticateWarm(request(['Client-Cert', CERT, 'X-Verify', 'SUCCESS']))).toBeDefined();
    expect(authenticator.authenticateWarm(request(['Client-Cert', CERT, 'X-Verify', 'FAILED']))).toBeUndefined();
    expect(authenticator.authenticateWarm(request(['Client-Cert', CERT, 'X-Verify', 'SUCCESS', 'X-Verify', 'SUCCESS']))).toBeUndefined();
    await expect(authenticator.authenticate(request(['Client-Cert', CERT, 'X-Verify', 'FAILED']))).rejects.toMatchObject({ code: 'PROXY_VERDICT_FAILED' });
  });

  it('never uses the warm path for a profile with a shared secret', async () => {
    const { authenticator, registry } = setup({ sharedSecret: { header: 'X-Proxy-Secret', values: [SECRET] } });
    const headers = ['Client-Cert', CERT, 'X-Proxy-Secret', SECRET];
    await warmUp(authenticator, request(headers));
    expect(authenticator.authenticateWarm(request(headers))).toBeUndefined();
    await authenticator.authenticate(request(headers));
    expect(registry.resolves).toBe(3);
  });

  it('never uses the warm path for a profile with an HMAC', async () => {
    const { authenticator, registry } = setup({
      hmac: { header: 'X-Proxy-Mac', timestampHeader: 'X-Proxy-Time', nonceHeader: 'X-Proxy-Nonce', secrets: [HMAC_KEY] },
    });
    const signedRequest = () => {
      // Same second, same certificate: a new nonce per request is what tells them apart.
      const timestamp = String(Math.floor(Date.now() / 1000));
      const nonce = randomUUID();
      const text = `GET\n/orders\n${timestamp}\n${nonce}\nclient-cert:${CERT}\nclient-cert-chain`;
      const rawHeaders = [
        'Client-Cert',
        CERT,
        'X-Proxy-Time',
        timestamp,
        'X-Proxy-Nonce',
        nonce,
        'X-Proxy-Mac',
        createHmac('sha256', HMAC_KEY).update(text).digest('hex'),
      ];
      return { ...request(rawHeaders), method: 'GET', target: '/orders' };
    };
    await authenticator.authenticate(signedRequest());
    await authenticator.authenticate(signedRequest());
    const again = signedRequest();
    expect(authenticator.authenticateWarm(again)).toBeUndefined();
    await authenticator.authenticate(again);
    expect(registry.resolves).toBe(3);
  });

  it.each<[string, { ttlSeconds?: number }, number, (r: GenerationRegistry, now: number) => void]>([
    ['the cache TTL', { ttlSeconds: 60 }, 60_000, () => undefined],
    ["the registry's horizon for the match", {}, 5_000, (r, now) => (r.horizon = now + 5_000)],
  ])('honours the expiry from %s (fake clock)', async (_label, cache, lifetimeMs, prepare) => {
    jest.useFakeTimers({ now: Date.now(), doNotFake: ['nextTick', 'setImmediate'] });
    const { authenticator, registry } = setup({}, cache);
    prepare(registry, Date.now());
    await warmUp(authenticator, request(['Client-Cert', CERT]));
    jest.setSystemTime(Date.now() + lifetimeMs - 1);
    expect(authenticator.authenticateWarm(request(['Client-Cert', CERT]))).toBeDefined();
    jest.setSystemTime(Date.now() + 1);
    expect(authenticator.authenticateWarm(request(['Client-Cert', CERT]))).toBeUndefined();
  });

  it('honours the certificate notAfter (fake clock)', async () => {
    jest.useFakeTimers({ now: Date.now(), doNotFake: ['nextTick', 'setImmediate'] });
    const shortLived = issueCertificate({
      subject: 'CN=short,O=Test',
      issuer: root,
      san: { dns: ['orders.clients.test'] },
      notAfter: new Date(Date.now() + 20_000),
    });
    const header = ['Client-Cert', `:${shortLived.der.toString('base64')}:`];
    const { authenticator } = setup();
    await warmUp(authenticator, request(header));
    jest.setSystemTime(Date.now() + 15_000);
    expect(authenticator.authenticateWarm(request(header))).toBeDefined();
    jest.setSystemTime(Date.now() + 6_000);
    expect(authenticator.authenticateWarm(request(header))).toBeUndefined();
  });

  it('admits a key on its second success only (one-off certificates cost no entry)', async () => {
    const { authenticator } = setup();
    await authenticator.authenticate(request(['Client-Cert', CERT]));
    expect(authenticator.authenticateWarm(request(['Client-Cert', CERT]))).toBeUndefined();
    await authenticator.authenticate(request(['Client-Cert', CERT]));
    expect(authenticator.authenticateWarm(request(['Client-Cert', CERT]))).toBeDefined();
  });

  it('keeps no verdict for a success the warm path holds, or will hold from its next success on', async () => {
    const { authenticator } = setup();
    const verdicts = (authenticator as unknown as { verdicts: { size: number } }).verdicts;
    await authenticator.authenticate(request(['Client-Cert', CERT]));
    expect(verdicts.size).toBe(0);
    await authenticator.authenticate(request(['Client-Cert', CERT]));
    expect(verdicts.size).toBe(0);
    expect(authenticator.authenticateWarm(request(['Client-Cert', CERT]))).toBeDefined();
  });

  it('never writes such a success to the verdict cache (lru-cache clears itself when its last entry is deleted)', async () => {
    const { authenticator } = setup();
    const verdicts = (authenticator as unknown as { verdicts: VerdictCache }).verdicts;
    const set = jest.spyOn(verdicts, 'set');
    const remove = jest.spyOn(verdicts, 'delete');
    await authenticator.authenticate(request(['Client-Cert', CERT]));
    await authenticator.authenticate(request(['Client-Cert', CERT]));
    expect(set).not.toHaveBeenCalled();
    expect(remove).not.toHaveBeenCalled();
  });

  it('keeps the verdict of a valid certificate the registry refuses (a repeat skips validation)', async () => {
    const { authenticator, registry, decisions } = setup();
    registry.match = null;
    const unknown = request(['Client-Cert', CERT]);
    await expect(authenticator.authenticate(unknown)).rejects.toMatchObject({ code: 'IDENTITY_UNKNOWN' });
    await expect(authenticator.authenticate(unknown)).rejects.toMatchObject({ code: 'IDENTITY_UNKNOWN' });
    expect(decisions.map((d) => [d.result, d.cached])).toEqual([
      ['IDENTITY_UNKNOWN', false],
      ['IDENTITY_UNKNOWN', true],
    ]);
  });

  it('keeps the verdict of a success the warm path never holds (a profile with a shared secret: no warm key)', async () => {
    const { authenticator, decisions } = setup({ sharedSecret: { header: 'X-Proxy-Secret', values: [SECRET] } });
    const headers = ['Client-Cert', CERT, 'X-Proxy-Secret', SECRET];
    const verdicts = (authenticator as unknown as { verdicts: { size: number } }).verdicts;
    await authenticator.authenticate(request(headers));
    expect(verdicts.size).toBe(1);
    await authenticator.authenticate(request(headers));
    expect(decisions.map((d) => [d.result, d.cached])).toEqual([
      ['OK', false],
      ['OK', true],
    ]);
  });

  it('keeps the verdict while the registry reports no generation (no warm path)', async () => {
    const { authenticator, registry, decisions } = setup();
    registry.gen = undefined;
    await warmUp(authenticator, request(['Client-Cert', CERT]));
    expect(decisions.map((d) => d.cached)).toEqual([false, true]);
  });

  it('re-admits a warm client at its first success after an invalidation', async () => {
    const { authenticator, registry } = setup();
    await warmUp(authenticator, request(['Client-Cert', CERT]));
    registry.write(() => undefined);
    expect(authenticator.authenticateWarm(request(['Client-Cert', CERT]))).toBeUndefined();
    await authenticator.authenticate(request(['Client-Cert', CERT]));
    expect(authenticator.authenticateWarm(request(['Client-Cert', CERT]))).toBeDefined();
  });

  it('is off with the verdict cache (cache.maxEntries 0)', async () => {
    const decisions: ClientCertDecision[] = [];
    const authenticator = new ClientCertAuthenticator(
      resolveOptions({
        proxies: [{ name: 'waf', from: ['127.0.0.1/32'], format: 'rfc9440' }],
        trustAnchors: { pem: [root.pem] },
        revocation: { mode: 'off' },
        cache: { maxEntries: 0 },
        decisions: { accepted: 'off', refused: 'off', onDecision: (d) => decisions.push(d) },
      }),
      new GenerationRegistry(),
    );
    await warmUp(authenticator, request(['Client-Cert', CERT]));
    expect(authenticator.authenticateWarm(request(['Client-Cert', CERT]))).toBeUndefined();
  });
});
