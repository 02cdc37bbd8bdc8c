import type { PathValidationResult } from './path-validation.types';
import { ValidationCache } from './validation.cache';
import { intermediate, leaf, parse, root } from './validation.spec-helper';

describe('ValidationCache', () => {
  let now = Date.now();
  const clock = () => now;
  const r = root();
  const i = intermediate(r);
  const success = (notAfterInMs: number): PathValidationResult => {
    const l = parse(leaf(i, { notAfter: new Date(now + notAfterInMs) }));
    return { ok: true, path: [l, parse(i), parse(r)], anchor: parse(r) };
  };
  const failure: PathValidationResult = { ok: false, code: 'CERT_UNTRUSTED', reason: 'no path' };

  beforeEach(() => {
    now = Date.now();
  });

  it('keys on leaf, chain and trust-store version', () => {
    const a = Buffer.from('leaf');
    const b = Buffer.from('chain');
    expect(ValidationCache.keyFor(a, [b], 'v1')).toBe(ValidationCache.keyFor(Buffer.from('leaf'), [Buffer.from('chain')], 'v1'));
    expect(ValidationCache.keyFor(a, [b], 'v1')).not.toBe(ValidationCache.keyFor(a, [b], 'v2'));
    expect(ValidationCache.keyFor(a, [b], 'v1')).not.toBe(ValidationCache.keyFor(a, [], 'v1'));
    // Length prefixes: moving bytes between parts changes the key.
    expect(ValidationCache.keyFor(Buffer.from('leafc'), [Buffer.from('hain')], 'v1')).not.toBe(ValidationCache.keyFor(a, [b], 'v1'));
  });

  it.each<[string, number, number, boolean]>([
    ['a success within its TTL', 60_000, 59_000, true],
    ['a success past its TTL', 60_000, 61_000, false],
    ['a success past the earliest notAfter, even inside the TTL', 10_000, 11_000, false],
  ])('serves %s', (_name, notAfterIn, elapsed, served) => {
    const cache = new ValidationCache({ ttlMs: 60_000, now: clock });
    cache.set('k', success(notAfterIn));
    now += elapsed;
    expect(cache.get('k') !== undefined).toBe(served);
  });

  it.each<[number, boolean]>([
    [4_000, true],
    [6_000, false],
  ])('keeps a failure for 5 s by default (after %s ms: %s)', (elapsed, served) => {
    const cache = new ValidationCache({ now: clock });
    cache.set('k', failure);
    now += elapsed;
    expect(cache.get('k') !== undefined).toBe(served);
  });

  it('does not store a success whose path has already expired, and stays bounded', () => {
    const cache = new ValidationCache({ max: 2, now: clock });
    cache.set('expired', success(-1000));
    expect(cache.get('expired')).toBeUndefined();
    ['a', 'b', 'c'].forEach((k) => cache.set(k, failure));
    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBeUndefined();
  });
});
