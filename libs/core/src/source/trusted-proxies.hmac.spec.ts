import { createHmac, randomUUID } from 'node:crypto';
import { encode, forwardedPki } from '../header/testing/forwarded-pki.spec-helper';
import type { ProxyProfileOptions } from '../options/proxy-profile.options';
import { TrustedProxies } from './trusted-proxies';
import { MemoryReplayStore } from './memory-replay.store';

const { leaf, hostile, intermediate } = forwardedPki();
const NOW = 1_800_000_000_000;
const KEY = 'k'.repeat(40);
const SECOND = String(NOW / 1000);
const hmacProfile = {
  name: 'edge',
  from: ['10.2.0.0/16'],
  preset: 'haproxy', // reads X-SSL-Client-Cert, X-SSL-Client-Chain and the verdict X-SSL-Client-Verify
  hmac: { header: 'X-Proxy-Mac', timestampHeader: 'X-Proxy-Time', nonceHeader: 'X-Proxy-Nonce', secrets: [KEY] },
} as ProxyProfileOptions;

interface Signed {
  readonly method?: string;
  readonly target?: string;
  readonly timestamp?: string;
  readonly nonce?: string;
  /** The covered headers as the proxy sets them (absent: not set). */
  readonly cert?: string;
  readonly chain?: string;
  readonly verify?: string;
}

/**
 * What a proxy computes, written out here as docs/PROXIES.md states it (not through the module's
 * own builder): method, target, timestamp, nonce, then each header the profile reads, sorted,
 * `name:value`, or the bare name when absent.
 */
function canonical({ method = 'GET', target = '/orders', timestamp = SECOND, nonce = '', cert, chain, verify }: Signed): string {
  const line = (name: string, value: string | undefined) => (value === undefined ? name : `${name}:${value}`);
  return [method, target, timestamp, nonce, line('x-ssl-client-cert', cert), line('x-ssl-client-chain', chain), line('x-ssl-client-verify', verify)].join('\n');
}

/** A request as the proxy sends it: its MAC over `signed`, its headers as `sent` (default: the same). */
function request(signed: Signed, sent: Signed = signed, extra: Array<[string, string]> = []) {
  const headers: Array<[string, string | undefined]> = [
    ['X-SSL-Client-Cert', sent.cert],
    ['X-SSL-Client-Chain', sent.chain],
    ['X-SSL-Client-Verify', sent.verify],
    ['X-Proxy-Time', sent.timestamp ?? SECOND],
    ['X-Proxy-Nonce', sent.nonce],
    ['X-Proxy-Mac', createHmac('sha256', KEY).update(canonical(signed)).digest('hex')],
  ];
  const rawHeaders = [...headers, ...extra].flatMap(([name, value]) => (value === undefined ? [] : [name, value]));
  const forwarded = { rawHeaders, remoteAddress: '10.2.0.1', method: sent.method ?? 'GET', target: sent.target ?? '/orders' };
  return forwarded;
}

const aliceSigned = (nonce = randomUUID()): Signed => ({ nonce, cert: encode.base64(leaf.der), verify: '0' });
const codeOf = async (work: () => unknown) => {
  try {
    await work();
    return 'accepted';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
};

describe('TrustedProxies with an HMAC-signed profile', () => {
  const fresh = () => new TrustedProxies([hmacProfile], undefined, () => NOW);

  it('accepts two requests for the same certificate in the same second (each has its own nonce)', async () => {
    const proxies = fresh();
    expect(await codeOf(() => proxies.admit(request(aliceSigned())))).toBe('accepted');
    expect(await codeOf(() => proxies.admit(request(aliceSigned())))).toBe('accepted');
    expect(await codeOf(() => proxies.extract(request(aliceSigned())))).toBe('accepted');
  });

  it('refuses a replayed nonce (same request sent again): SOURCE_UNTRUSTED, reason "replayed"', async () => {
    const proxies = fresh();
    const original = request(aliceSigned('9b0e4d8a-0c51-4a8e-b8c2-7b1f0f6f1a11'));
    expect(await codeOf(() => proxies.admit(original))).toBe('accepted');
    await expect(proxies.admit(original)).rejects.toMatchObject({ code: 'SOURCE_UNTRUSTED', details: { reason: 'replayed' } });
    expect(() => proxies.extract(original)).toThrow(expect.objectContaining({ code: 'SOURCE_UNTRUSTED' }));
  });

  it('accepts the chain and an absent chain, each signed as sent', async () => {
    const proxies = fresh();
    const withChain = { ...aliceSigned(), chain: encode.base64(intermediate.der) };
    expect(await codeOf(() => proxies.admit(request(withChain)))).toBe('accepted');
    const emptyChain = { ...aliceSigned(), chain: '' };
    expect(await codeOf(() => proxies.admit(request(emptyChain)))).toBe('accepted');
  });

  it.each<[string, (s: Signed) => Signed, Array<[string, string]>, string]>([
    ['another method', (s) => ({ ...s, method: 'DELETE' }), [], 'SOURCE_UNTRUSTED'],
    ['another path', (s) => ({ ...s, target: '/orders/1' }), [], 'SOURCE_UNTRUSTED'],
    ['another query', (s) => ({ ...s, target: '/orders?all=1' }), [], 'SOURCE_UNTRUSTED'],
    ['another certificate', (s) => ({ ...s, cert: encode.base64(hostile.der) }), [], 'SOURCE_UNTRUSTED'],
    ['a chain header added', (s) => ({ ...s, chain: encode.base64(intermediate.der) }), [], 'SOURCE_UNTRUSTED'],
    ['an empty chain header added (absent is not empty)', (s) => ({ ...s, chain: '' }), [], 'SOURCE_UNTRUSTED'],
    ['another verdict', (s) => ({ ...s, verify: '10' }), [], 'SOURCE_UNTRUSTED'],
    ['the verdict header removed', (s) => ({ ...s, verify: undefined }), [], 'SOURCE_UNTRUSTED'],
    ['another timestamp', (s) => ({ ...s, timestamp: String(NOW / 1000 + 1) }), [], 'SOURCE_UNTRUSTED'],
    ['another nonce', (s) => ({ ...s, nonce: randomUUID() }), [], 'SOURCE_UNTRUSTED'],
    ['the certificate header given twice', (s) => s, [['X-SSL-Client-Cert', encode.base64(hostile.der)]], 'SOURCE_UNTRUSTED'],
  ])('refuses a request whose %s was not what the proxy signed', async (_label, tamper, extra, expected) => {
    const signed = aliceSigned();
    expect(await codeOf(() => fresh().admit(request(signed, tamper(signed), extra)))).toBe(expected);
  });

  it.each<[string, Partial<Signed>]>([
    ['no nonce', { nonce: undefined }],
    ['a short nonce', { nonce: 'abc' }],
    ['a nonce with a line break', { nonce: `${randomUUID()}\nx` }],
  ])('refuses %s', async (_label, change) => {
    const signed = { ...aliceSigned(), ...change };
    expect(await codeOf(() => fresh().admit(request(signed)))).toBe('SOURCE_UNTRUSTED');
  });

  it('refuses a request without a request line to verify (method and target unknown)', async () => {
    const { method: _m, target: _t, ...bare } = request(aliceSigned());
    expect(await codeOf(() => fresh().admit(bare))).toBe('SOURCE_UNTRUSTED');
  });

  it('with a shared store, a second instance refuses a nonce the first accepted', async () => {
    const shared = new MemoryReplayStore(100, () => NOW);
    const [a, b] = [new TrustedProxies([hmacProfile], undefined, () => NOW, shared), new TrustedProxies([hmacProfile], undefined, () => NOW, shared)];
    const once = request(aliceSigned());
    expect(await codeOf(() => a.admit(once))).toBe('accepted');
    expect(await codeOf(() => b.admit(once))).toBe('SOURCE_UNTRUSTED');
    expect(await codeOf(() => b.admit(request(aliceSigned())))).toBe('accepted');
  });

  it('answers 503 REPLAY_CHECK_UNAVAILABLE when the store is full of unexpired nonces (fails closed)', async () => {
    const small = { ...hmacProfile, hmac: { ...hmacProfile.hmac!, replayCacheSize: 2 } } as ProxyProfileOptions;
    const proxies = new TrustedProxies([small], undefined, () => NOW);
    await proxies.admit(request(aliceSigned()));
    await proxies.admit(request(aliceSigned()));
    expect(await codeOf(() => proxies.admit(request(aliceSigned())))).toBe('REPLAY_CHECK_UNAVAILABLE');
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['no nonce header', { header: 'X-Mac', timestampHeader: 'X-Time', secrets: [KEY] }, /hmac.nonceHeader must name/],
    ['the nonce header is the MAC header', { header: 'X-Mac', timestampHeader: 'X-Time', nonceHeader: 'x-mac', secrets: [KEY] }, /three headers of their own/],
    [
      'the nonce header is the certificate header',
      { header: 'X-Mac', timestampHeader: 'X-Time', nonceHeader: 'X-SSL-Client-Cert', secrets: [KEY] },
      /three headers of their own/,
    ],
  ])('bootstrap error: %s', (_label, hmac, message) => {
    expect(() => new TrustedProxies([{ ...hmacProfile, hmac } as unknown as ProxyProfileOptions])).toThrow(message);
  });
});
