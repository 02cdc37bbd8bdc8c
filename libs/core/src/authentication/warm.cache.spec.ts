import type { AuthenticatedClient } from './authenticated-client';
import type { ClientCertDecision } from './client-cert-decision';
import type { RegistryMatch } from '../registry/client-account';
import type { WarmKey } from '../source/warm-key.builder';
import { WarmCache, warmEntryBytes, type WarmEntry } from './warm.cache';

const NOW = 1_000_000;
const limits = (maxEntries: number, maxBytes = 2 ** 20) => ({ maxEntries, maxBytes });
const identity = (key: number, value = `cert-${key}`, address = '10.0.0.1'): WarmKey => ({ key, profile: 0, address, headers: ['client-cert', value] });

function entry(id: WarmKey, overrides: Partial<WarmEntry> = {}): WarmEntry {
  return {
    identity: id,
    client: { id: id.key } as unknown as AuthenticatedClient,
    match: {} as RegistryMatch,
    decision: { result: 'OK', durationMs: 0 } as ClientCertDecision,
    expiresAt: NOW + 60_000,
    registryGeneration: 1,
    revocationGeneration: 1,
    touchedAt: 0,
    used: false,
    ...overrides,
  };
}

describe('WarmCache', () => {
  it('admits a key at its second success, not its first', () => {
    const cache = new WarmCache(limits(10));
    expect(cache.admit(7)).toBe(false);
    expect(cache.admit(7)).toBe(true);
  });

  it('hits only the exact identity, generations and time it was stored with', () => {
    const cache = new WarmCache(limits(10));
    const id = identity(1);
    cache.set(entry(id), NOW);
    expect(cache.get(identity(1), 1, 1, NOW)).toBeDefined();
    expect(cache.get(identity(1, 'cert-other'), 1, 1, NOW)).toBeUndefined(); // same lookup key, other header value
    expect(cache.get(identity(1, 'cert-1', '10.0.0.2'), 1, 1, NOW)).toBeUndefined(); // other peer
    expect(cache.get({ ...identity(1), profile: 1 }, 1, 1, NOW)).toBeUndefined(); // other profile
    expect(cache.get(id, 2, 1, NOW)).toBeUndefined(); // registry changed since
    expect(cache.get(id, 1, 2, NOW)).toBeUndefined(); // revocation data changed since
    expect(cache.get(id, 1, 1, NOW + 60_000)).toBeUndefined(); // expired
  });

  it('never stores an entry that has already expired', () => {
    const cache = new WarmCache(limits(10));
    cache.set(entry(identity(1), { expiresAt: NOW }), NOW);
    expect(cache.size).toBe(0);
  });

  it('stays within its bound and evicts an entry not used since, before one that was (second chance)', () => {
    const cache = new WarmCache(limits(3));
    for (const key of [1, 2, 3]) cache.set(entry(identity(key)), NOW);
    expect(cache.get(identity(1), 1, 1, NOW)).toBeDefined(); // 1 is the oldest, but in use
    cache.set(entry(identity(4)), NOW);
    expect(cache.size).toBe(3);
    expect(cache.get(identity(1), 1, 1, NOW)).toBeDefined();
    expect(cache.get(identity(2), 1, 1, NOW)).toBeUndefined(); // oldest unused: evicted
    expect(cache.get(identity(3), 1, 1, NOW)).toBeDefined();
    expect(cache.get(identity(4), 1, 1, NOW)).toBeDefined();
  });

  it('evicts even when every entry was used (a full pass clears the marks)', () => {
    const cache = new WarmCache(limits(2));
    for (const key of [1, 2]) cache.set(entry(identity(key)), NOW);
    for (const key of [1, 2]) cache.get(identity(key), 1, 1, NOW);
    cache.set(entry(identity(3)), NOW);
    expect(cache.size).toBe(2);
    expect(cache.get(identity(3), 1, 1, NOW)).toBeDefined();
  });

  it('replaces the entry under the same key without evicting another', () => {
    const cache = new WarmCache(limits(2));
    cache.set(entry(identity(1)), NOW);
    cache.set(entry(identity(2)), NOW);
    cache.set(entry(identity(1), { registryGeneration: 2 }), NOW);
    expect(cache.size).toBe(2);
    expect(cache.get(identity(1), 2, 1, NOW)).toBeDefined();
    expect(cache.get(identity(2), 1, 1, NOW)).toBeDefined();
  });

  it('is off with maxEntries 0: stores and admits nothing', () => {
    const cache = new WarmCache(limits(0));
    expect(cache.enabled).toBe(false);
    cache.set(entry(identity(1)), NOW);
    expect(cache.size).toBe(0);
    expect(cache.admit(1)).toBe(false);
    expect(cache.admit(1)).toBe(false);
  });

  it('is off with maxBytes 0', () => {
    const cache = new WarmCache(limits(10, 0));
    expect(cache.enabled).toBe(false);
    cache.set(entry(identity(1)), NOW);
    expect(cache.size).toBe(0);
  });

  describe('byte bound', () => {
    const certificate = (key: number, length: number) => identity(key, `${key}`.padEnd(length, 'A'));
    const bytesOf = (length: number) => warmEntryBytes(entry(certificate(0, length)));

    it('estimates an entry by its header values: a longer certificate header costs its extra length', () => {
      expect(bytesOf(3000) - bytesOf(1000)).toBe(2000);
      expect(bytesOf(1000)).toBeGreaterThan(1000);
    });

    it('keeps the sum of the entries within maxBytes, evicting the oldest unused first', () => {
      const cache = new WarmCache(limits(100, 3 * bytesOf(2000)));
      for (const key of [1, 2, 3]) cache.set(entry(certificate(key, 2000)), NOW);
      expect(cache.size).toBe(3);
      expect(cache.get(certificate(1, 2000), 1, 1, NOW)).toBeDefined(); // oldest, but in use
      cache.set(entry(certificate(4, 2000)), NOW);
      expect(cache.size).toBe(3);
      expect(cache.bytes).toBe(3 * bytesOf(2000));
      expect(cache.get(certificate(1, 2000), 1, 1, NOW)).toBeDefined();
      expect(cache.get(certificate(2, 2000), 1, 1, NOW)).toBeUndefined(); // oldest unused: evicted
      expect(cache.get(certificate(3, 2000), 1, 1, NOW)).toBeDefined();
      expect(cache.get(certificate(4, 2000), 1, 1, NOW)).toBeDefined();
    });

    it('evicts as many entries as one large entry needs, and never exceeds the budget', () => {
      const budget = 4 * bytesOf(1000);
      const cache = new WarmCache(limits(100, budget));
      for (const key of [1, 2, 3, 4]) cache.set(entry(certificate(key, 1000)), NOW);
      cache.set(entry(certificate(5, 2500)), NOW);
      expect(cache.bytes).toBeLessThanOrEqual(budget);
      expect(cache.get(certificate(5, 2500), 1, 1, NOW)).toBeDefined();
      expect([1, 2, 3, 4].filter((key) => cache.get(certificate(key, 1000), 1, 1, NOW)).length).toBe(2);
    });

    it('does not keep an entry larger than the whole budget, and keeps the others', () => {
      const cache = new WarmCache(limits(100, 2 * bytesOf(1000)));
      cache.set(entry(certificate(1, 1000)), NOW);
      cache.set(entry(certificate(2, 5000)), NOW);
      expect(cache.size).toBe(1);
      expect(cache.get(certificate(1, 1000), 1, 1, NOW)).toBeDefined();
    });

    it('counts a replaced entry once, and nothing after clear', () => {
      const cache = new WarmCache(limits(100));
      cache.set(entry(certificate(1, 1000)), NOW);
      cache.set(entry(certificate(1, 1000), { registryGeneration: 2 }), NOW);
      expect(cache.bytes).toBe(bytesOf(1000));
      cache.clear();
      expect(cache.bytes).toBe(0);
      expect(cache.size).toBe(0);
    });
  });
});
