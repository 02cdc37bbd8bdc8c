import type { ParsedCertificate } from '../certificate/parsed-certificate';
import type { ClientCertPrincipal } from '../principal/client-cert-principal';
import { VerdictCache, type CertificateVerdict } from './verdict.cache';

const b = (text: string) => Buffer.from(text);
const options = { maxEntries: 10, ttlSeconds: 300, failureTtlSeconds: 5 };

function success(notAfter: number): CertificateVerdict {
  const path = [{ notAfter: new Date(notAfter) } as ParsedCertificate];
  return { ok: true, path, principal: {} as ClientCertPrincipal };
}

describe('VerdictCache.keyFor', () => {
  const cache = new VerdictCache(options, 'v1');
  const key = cache.keyFor('waf', b('leaf'), [b('chain')]);

  it('gives equal inputs equal keys', () => {
    expect(new VerdictCache(options, 'v1').keyFor('waf', b('leaf'), [b('chain')])).toBe(key);
    expect(cache.keyFor('waf', b('leaf'), [])).toBe(cache.keyFor('waf', b('leaf'), []));
  });

  it.each([
    ['another profile', () => cache.keyFor('edge', b('leaf'), [b('chain')])],
    ['another trust-store version', () => new VerdictCache(options, 'v2').keyFor('waf', b('leaf'), [b('chain')])],
    ['another leaf', () => cache.keyFor('waf', b('leaf2'), [b('chain')])],
    ['another chain', () => cache.keyFor('waf', b('leaf'), [b('chain2')])],
    ['no chain', () => cache.keyFor('waf', b('leaf'), [])],
    ['the same bytes split differently', () => cache.keyFor('waf', b('leafc'), [b('hain')])],
  ])('gives %s another key', (_label, other) => {
    expect(other()).not.toBe(key);
  });

  it('keeps chain order significant', () => {
    expect(cache.keyFor('waf', b('leaf'), [b('a'), b('b')])).not.toBe(cache.keyFor('waf', b('leaf'), [b('b'), b('a')]));
  });

  it('keys a chain-less leaf by the SHA-256 of its bytes alone (no per-request Hash object)', () => {
    const digest = require('node:crypto').createHash('sha256').update(b('leaf')).digest('base64');
    expect(cache.keyFor('waf', b('leaf'), [])).toBe(`waf\0v1\0L${digest}`);
  });
});

describe('VerdictCache get/set', () => {
  it.each([
    ['a success until the earliest notAfter', success(Date.now() + 60_000), true],
    ['no success whose certificate already expired', success(Date.now() - 1), false],
    ['a failure briefly', { ok: false, code: 'CERT_UNTRUSTED', reason: 'x' } as CertificateVerdict, true],
  ])('keeps %s', (_label, verdict, kept) => {
    const cache = new VerdictCache(options, 'v1');
    cache.set('k', verdict, Date.now());
    expect(cache.get('k') !== undefined).toBe(kept);
  });

  it('keeps nothing when maxEntries is 0', () => {
    const cache = new VerdictCache({ ...options, maxEntries: 0 }, 'v1');
    cache.set('k', success(Date.now() + 60_000), Date.now());
    expect(cache.get('k')).toBeUndefined();
  });

  it('is bounded by maxEntries', () => {
    const cache = new VerdictCache({ ...options, maxEntries: 3 }, 'v1');
    for (let n = 0; n < 10; n++) cache.set(`k${n}`, success(Date.now() + 60_000), Date.now());
    expect([...Array(10).keys()].filter((n) => cache.get(`k${n}`)).length).toBe(3);
  });
});
