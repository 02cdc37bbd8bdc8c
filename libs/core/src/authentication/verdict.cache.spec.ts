import { createHash, X509Certificate } from 'node:crypto';
import type { ParsedCertificate } from '../certificate/parsed-certificate';
import type { ClientCertPrincipal } from '../principal/client-cert-principal';
import { issueCertificate } from '@client-cert-auth/dev-pki';
import { parseCertificate } from '../certificate/certificate.parser';
import { createPrincipal } from '../principal/principal.factory';
import { CompactCertificate } from './compact-certificate';
import { VerdictCache, verdictBytes, type CertificateVerdict } from './verdict.cache';

const b = (text: string) => Buffer.from(text);
const options = { maxEntries: 10, maxBytes: 2 ** 20, ttlSeconds: 300, failureTtlSeconds: 5 };

function success(notAfter: number): CertificateVerdict {
  const path = [{ notAfter: new Date(notAfter) } as ParsedCertificate];
  return { ok: true, path, principal: { serialNumber: '01', chainFingerprints: ['a', 'b'] } as unknown as ClientCertPrincipal };
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
    const digest = createHash('sha256').update(b('leaf')).digest('hex');
    expect(cache.keyFor('waf', b('leaf'), [])).toBe(`waf\0v1\0L${digest}`);
  });

  it("hashes a chain-less leaf once for its key and its fingerprint, and the two agree with OpenSSL's", () => {
    const der = Buffer.from(issueCertificate({ subject: 'CN=digest once' }).der);
    // The module object itself (an `import * as` namespace would be a copy the code never calls).
    const hashes = jest.spyOn(require('node:crypto') as typeof import('node:crypto'), 'hash');
    try {
      const key = cache.keyFor('waf', der, []);
      const fingerprint = parseCertificate(der).fingerprintSha256;
      expect(hashes).toHaveBeenCalledTimes(1);
      const openssl = new X509Certificate(der).fingerprint256.replace(/:/g, '').toLowerCase();
      expect(fingerprint).toBe(openssl);
      expect(key).toBe(`waf\0v1\0L${openssl}`);
    } finally {
      hashes.mockRestore();
    }
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

describe('VerdictCache byte bound', () => {
  const root = issueCertificate({ subject: 'CN=Bytes Root', key: 'p-256', ca: true });
  const anchor = parseCertificate(root.der);
  /** A real success as the authenticator builds it: the path as validated, and what the request decoded. */
  const verdictFor = (n: number, dnsNames = 1): CertificateVerdict => {
    const dns = Array.from({ length: dnsNames }, (_, i) => `host-${i}.client-${n}.example`);
    const leaf = parseCertificate(issueCertificate({ subject: `CN=client-${n}`, issuer: root, key: 'p-256', san: { dns } }).der);
    return { ok: true, path: [leaf, anchor], principal: createPrincipal([leaf, anchor], { profile: 'waf', format: 'rfc9440' }), decoded: [leaf] };
  };
  /** What the cache counts for a verdict it keeps (the leaf slimmed, the anchor shared). */
  const keptBytes = (verdict: CertificateVerdict): number => {
    const cache = new VerdictCache(options, 'v1');
    cache.set('k', verdict, later());
    return cache.bytes;
  };
  const failure = (reasonLength: number): CertificateVerdict => ({ ok: false, code: 'CERT_UNTRUSTED', reason: 'x'.repeat(reasonLength) });
  const later = () => Date.now();

  it('estimates a success by its own parts: no DER, no shared anchor, no shared names', () => {
    const bytes = keptBytes(verdictFor(1));
    // ~1 KB of objects and strings (measured: bench/profile/retained.profile.ts).
    expect(bytes).toBeGreaterThan(700);
    expect(bytes).toBeLessThan(1400);
    // A bigger certificate (more SANs) costs the same: its DER is not kept, its SANs are shared.
    expect(Math.abs(keptBytes(verdictFor(2, 20)) - bytes)).toBeLessThanOrEqual(8); // serials differ by a byte or two
    expect(verdictBytes('k', failure(2000)) - verdictBytes('k', failure(0))).toBe(4000);
  });

  it('keeps successes without their DER, and hands them out bound to the bytes of the request', () => {
    const verdict = verdictFor(3);
    const der = verdict.ok ? verdict.path[0].der : Buffer.alloc(0);
    const cache = new VerdictCache(options, 'v1');
    cache.set('k', verdict, later());
    const kept = cache.get('k');
    expect(kept?.ok && (kept.path[0] as CompactCertificate).derLength).toBe(der.length);
    expect(kept?.ok && kept.path[0]).toBeInstanceOf(CompactCertificate);
    expect(() => kept?.ok && kept.path[0].der).toThrow(/unbound/);
    const copy = Buffer.from(der);
    const bound = cache.get('k', { leaf: copy, chain: [] });
    expect(bound?.ok && bound.path[0].der).toBe(copy);
    expect(bound?.ok && bound.path[0].subject.rfc4514).toBe('CN=client-3');
    expect(bound?.ok && bound.path[1]).toBe(verdict.ok && verdict.path[1]);
    expect(bound?.ok && bound.principal).toBe(verdict.ok && verdict.principal);
  });

  it('keeps the sum of its entries within maxBytes, least recently used out first', () => {
    const verdicts = [1, 2, 3, 4].map((n) => verdictFor(n));
    const budget = keptBytes(verdicts[0]) * 3 + 100;
    const cache = new VerdictCache({ ...options, maxEntries: 100, maxBytes: budget }, 'v1');
    verdicts.slice(0, 3).forEach((v, i) => cache.set(`k${i + 1}`, v, later()));
    expect(cache.size).toBe(3);
    expect(cache.get('k1')).toBeDefined(); // k1 used: k2 is now the least recently used
    cache.set('k4', verdicts[3], later());
    expect(cache.bytes).toBeLessThanOrEqual(budget);
    expect(['k1', 'k2', 'k3', 'k4'].map((k) => cache.get(k) !== undefined)).toEqual([true, false, true, true]);
  });

  it('lets one large entry push out as many small ones as it needs', () => {
    const budget = verdictBytes('k0', failure(1000)) * 4;
    const cache = new VerdictCache({ ...options, maxEntries: 100, maxBytes: budget }, 'v1');
    for (let n = 0; n < 4; n++) cache.set(`k${n}`, failure(1000), later());
    cache.set('big', failure(2000), later()); // twice a small one's reason: needs two of them out
    expect(cache.bytes).toBeLessThanOrEqual(budget);
    expect(cache.get('big')).toBeDefined();
    expect(['k0', 'k1', 'k2', 'k3'].filter((k) => cache.get(k)).length).toBe(2);
  });

  it('does not keep an entry larger than the whole budget', () => {
    const cache = new VerdictCache({ ...options, maxEntries: 100, maxBytes: 1000 }, 'v1');
    cache.set('k', failure(1000), later());
    expect(cache.get('k')).toBeUndefined();
    expect(cache.expiresAt('k', 5)).toBe(5);
  });

  it('keeps nothing when maxBytes is 0', () => {
    const cache = new VerdictCache({ ...options, maxBytes: 0 }, 'v1');
    cache.set('k', failure(10), later());
    expect(cache.get('k')).toBeUndefined();
  });

  it('still applies the entry bound when bytes are plenty, least recently used out first', () => {
    const cache = new VerdictCache({ ...options, maxEntries: 2, maxBytes: 2 ** 30 }, 'v1');
    cache.set('a', failure(1), later());
    cache.set('b', failure(1), later());
    cache.get('a');
    cache.set('c', failure(1), later());
    expect(['a', 'b', 'c'].map((k) => cache.get(k) !== undefined)).toEqual([true, false, true]);
  });
});
