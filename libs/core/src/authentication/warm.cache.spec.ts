import type { AuthenticatedClient } from './authenticated-client';
import type { ClientCertDecision } from './client-cert-decision';
import type { RegistryMatch } from '../registry/client-account';
import type { WarmKey } from '../source/warm-key.builder';
import { WarmCache, type WarmEntry } from './warm.cache';

const NOW = 1_000_000;
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
    const cache = new WarmCache(10);
    expect(cache.admit(7)).toBe(false);
    expect(cache.admit(7)).toBe(true);
  });

  it('hits only the exact identity, generations and time it was stored with', () => {
    const cache = new WarmCache(10);
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
    const cache = new WarmCache(10);
    cache.set(entry(identity(1), { expiresAt: NOW }), NOW);
    expect(cache.size).toBe(0);
  });

  it('stays within its bound and evicts an entry not used since, before one that was (second chance)', () => {
    const cache = new WarmCache(3);
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
    const cache = new WarmCache(2);
    for (const key of [1, 2]) cache.set(entry(identity(key)), NOW);
    for (const key of [1, 2]) cache.get(identity(key), 1, 1, NOW);
    cache.set(entry(identity(3)), NOW);
    expect(cache.size).toBe(2);
    expect(cache.get(identity(3), 1, 1, NOW)).toBeDefined();
  });

  it('replaces the entry under the same key without evicting another', () => {
    const cache = new WarmCache(2);
    cache.set(entry(identity(1)), NOW);
    cache.set(entry(identity(2)), NOW);
    cache.set(entry(identity(1), { registryGeneration: 2 }), NOW);
    expect(cache.size).toBe(2);
    expect(cache.get(identity(1), 2, 1, NOW)).toBeDefined();
    expect(cache.get(identity(2), 1, 1, NOW)).toBeDefined();
  });

  it('is off with maxEntries 0: stores and admits nothing', () => {
    const cache = new WarmCache(0);
    expect(cache.enabled).toBe(false);
    cache.set(entry(identity(1)), NOW);
    expect(cache.size).toBe(0);
    expect(cache.admit(1)).toBe(false);
    expect(cache.admit(1)).toBe(false);
  });
});
