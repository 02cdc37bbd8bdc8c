import type { ProxyProfileOptions } from '../options/proxy-profile.options';
import { TrustedProxies } from './trusted-proxies';
import { sameWarmKey } from './warm-key.builder';

const CERT = `:${'A'.repeat(400)}B:`;
const proxies = (...profiles: ProxyProfileOptions[]) => new TrustedProxies(profiles);
const req = (rawHeaders: string[], remoteAddress = '10.0.0.1') => ({ rawHeaders, remoteAddress });
const waf: ProxyProfileOptions = { name: 'waf', from: ['10.0.0.0/8'], format: 'rfc9440', verdicts: [{ header: 'X-Verify', expect: 'SUCCESS' }] };

describe('TrustedProxies.warmKey', () => {
  it('gives equal keys to equal requests, whatever else they carry', () => {
    const p = proxies(waf);
    const a = p.warmKey(req(['Host', 'a', 'Client-Cert', CERT, 'X-Verify', 'SUCCESS', 'Accept', '*/*']));
    const b = p.warmKey(req(['client-cert', CERT, 'User-Agent', 'x', 'x-verify', 'SUCCESS']));
    expect(a).toEqual(b);
    expect(a).toBeDefined();
  });

  it.each<[string, string[], string]>([
    ['another certificate value', ['Client-Cert', `:${'A'.repeat(400)}C:`, 'X-Verify', 'SUCCESS'], '10.0.0.1'],
    ['another verdict value', ['Client-Cert', CERT, 'X-Verify', 'FAILED'], '10.0.0.1'],
    ['no verdict header', ['Client-Cert', CERT], '10.0.0.1'],
    ['a duplicated certificate header', ['Client-Cert', CERT, 'Client-Cert', CERT, 'X-Verify', 'SUCCESS'], '10.0.0.1'],
    ['the headers in another order', ['X-Verify', 'SUCCESS', 'Client-Cert', CERT], '10.0.0.1'],
    ['another peer', ['Client-Cert', CERT, 'X-Verify', 'SUCCESS'], '10.0.0.2'],
  ])('tells apart %s', (_label, headers, address) => {
    const p = proxies(waf);
    const base = p.warmKey(req(['Client-Cert', CERT, 'X-Verify', 'SUCCESS']))!;
    const other = p.warmKey(req(headers, address))!;
    expect(sameWarmKey(other, base)).toBe(false);
  });

  it('keeps values apart that share length and tail (the lookup key alone is not the identity)', () => {
    const p = proxies(waf);
    const a = p.warmKey(req(['Client-Cert', `:X${'A'.repeat(399)}B:`]))!;
    const b = p.warmKey(req(['Client-Cert', `:Y${'A'.repeat(399)}B:`]))!;
    expect(a.key).toBe(b.key);
    expect(sameWarmKey(a, b)).toBe(false);
  });

  it.each<[string, ProxyProfileOptions[], string]>([
    ['an untrusted peer', [waf], '192.0.2.1'],
    ['an unparsable peer', [waf], 'not-an-address'],
    ['a profile with a shared secret', [{ ...waf, sharedSecret: { header: 'X-Secret', values: ['s'.repeat(32)] } }], '10.0.0.1'],
    [
      'a profile with an HMAC',
      [{ ...waf, hmac: { header: 'X-Mac', timestampHeader: 'X-Time', nonceHeader: 'X-Nonce', secrets: ['k'.repeat(40)] } }],
      '10.0.0.1',
    ],
    ['a profile with X-Forwarded-For hops', [{ ...waf, trustedHops: 1, hopsFrom: ['192.168.9.0/24'] }], '192.168.9.1'],
    [
      'a hops profile listed before the matching one',
      [{ ...waf, name: 'lb', from: ['172.16.0.0/12'], trustedHops: 1, hopsFrom: ['192.168.9.0/24'] }, waf],
      '10.0.0.1',
    ],
  ])('gives no key for %s', (_label, profiles, address) => {
    expect(proxies(...profiles).warmKey(req(['Client-Cert', CERT, 'X-Verify', 'SUCCESS'], address))).toBeUndefined();
  });

  it('gives no key without any header the profile reads (the slow path answers CERT_MISSING)', () => {
    expect(proxies(waf).warmKey(req(['Host', 'a', 'Client_Cert', CERT]))).toBeUndefined();
  });

  it('counts every numbered chain header, also past the cap the parser refuses', () => {
    const pem: ProxyProfileOptions = {
      name: 'apache',
      from: ['10.0.0.0/8'],
      format: 'pem',
      headers: { cert: 'X-Cert', chainPrefix: 'X-Chain-' },
      limits: { maxCertificates: 2 },
    };
    const p = proxies(pem);
    const two = p.warmKey(req(['X-Cert', 'c', 'X-Chain-0', 'a', 'X-Chain-1', 'b']))!;
    const three = p.warmKey(req(['X-Cert', 'c', 'X-Chain-0', 'a', 'X-Chain-1', 'b', 'X-Chain-2', 'z']))!;
    expect(sameWarmKey(three, two)).toBe(false);
  });

  it('skips headers by length first, yet reads every watched name in any case', () => {
    const p = proxies(waf);
    const base = p.warmKey(req(['Client-Cert', CERT]))!;
    // Same length as client-cert, not watched: ignored.
    expect(sameWarmKey(p.warmKey(req(['CLIENT-CERT', CERT, 'client-cerx', 'x']))!, base)).toBe(true);
    const long = `x-${'a'.repeat(300)}`;
    const custom = proxies({ name: 'long', from: ['10.0.0.0/8'], format: 'rfc9440', headers: { cert: long } });
    expect(custom.warmKey(req([long.toUpperCase(), CERT]))?.headers).toEqual([long, CERT]);
    expect(custom.warmKey(req([`x-${'b'.repeat(300)}`, CERT]))).toBeUndefined();
  });

  it('resolves the profile by peer in profile order', () => {
    const p = proxies({ ...waf, name: 'first', from: ['10.0.0.0/24'] }, { ...waf, name: 'second', from: ['10.0.0.0/8'] });
    const first = p.warmKey(req(['Client-Cert', CERT], '10.0.0.1'))!;
    const second = p.warmKey(req(['Client-Cert', CERT], '10.1.0.1'))!;
    expect(first.profile).toBe(0);
    expect(second.profile).toBe(1);
  });

  it('stays correct past its address memo bound', () => {
    const p = proxies(waf);
    for (let i = 0; i < 3000; i++) p.warmKey(req(['Client-Cert', CERT], `10.${(i >> 8) & 255}.${i & 255}.1`));
    expect(p.warmKey(req(['Client-Cert', CERT], '192.0.2.1'))).toBeUndefined();
    expect(p.warmKey(req(['Client-Cert', CERT], '10.0.0.1'))).toBeDefined();
  });
});
