import { resolveRevocationOptions } from './revocation-options.resolver';

describe('resolveRevocationOptions', () => {
  it('applies secure defaults', () => {
    const o = resolveRevocationOptions(undefined);
    expect(o).toMatchObject({ mode: 'soft-fail', clockSkewMs: 60_000 });
    expect(o.crl).toMatchObject({ enabled: true, useDistributionPoints: true, refreshIntervalMs: 3_600_000, refreshMarginMs: 300_000 });
    expect(o.ocsp).toMatchObject({ enabled: true, timeoutMs: 2_000, nonce: false, circuitBreaker: { failureThreshold: 3, openMs: 30_000 } });
    expect(Object.isFrozen(o.ocsp.cache)).toBe(true);
  });

  it('normalizes anchor fingerprints (colons, case)', () => {
    const o = resolveRevocationOptions({ anchors: [{ fingerprintSha256: 'AB:CD', mode: 'hard-fail' }] });
    expect(o.anchors[0]).toMatchObject({ fingerprintSha256: 'abcd', mode: 'hard-fail' });
  });

  it.each([
    ['an unknown mode', { mode: 'strict' as never }, /revocation\.mode is 'strict'/],
    ['an anchor override that names no anchor', { anchors: [{ mode: 'off' as const }] }, /revocation\.anchors\[0\]/],
    ['a non-http CRL URL', { crl: { urls: ['ldap://x/crl'] } }, /revocation\.crl\.urls\[0\]/],
    ['a zero OCSP timeout', { ocsp: { timeoutMs: 0 } }, /revocation\.ocsp\.timeoutMs/],
    ['a negative refresh interval', { crl: { refreshIntervalMs: -1 } }, /refreshIntervalMs/],
    ['requireNonce without nonce', { ocsp: { requireNonce: true } }, /requireNonce/],
  ])('refuses %s with a message naming the option', (_name, options, message) => {
    expect(() => resolveRevocationOptions(options)).toThrow(message);
  });
});
