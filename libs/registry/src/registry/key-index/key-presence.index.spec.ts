import type { BindingKey } from '../../normalize/principal.keys';
import { fnv1aKeyHash, KeyPresenceIndex } from './key-presence.index';

const key = (kind: BindingKey['kind'], value: string): BindingKey => ({ kind, value });
const indexOf = (keys: BindingKey[], hash = fnv1aKeyHash) =>
  KeyPresenceIndex.fromHashes(
    Int32Array.from(keys, (k) => hash(k.kind, k.value)),
    hash,
  );

describe('KeyPresenceIndex', () => {
  const stored = [key('san-uri', 'spiffe://example.org/a'), key('fingerprint', 'ab'.repeat(32)), key('subject', 'cn=client,o=example')];
  const index = indexOf(stored);

  it.each([
    ['a stored key', stored[1], true],
    ['another stored key', stored[2], true],
    ['the same value under another kind', key('san-dns', 'spiffe://example.org/a'), false],
    ['a value differing in case (statements compare exactly)', key('subject', 'CN=client,o=example'), false],
    ['an unknown key', key('fingerprint', 'cd'.repeat(32)), false],
  ])('%s: mayHold is %s', (_label, probe, expected) => {
    expect(index.mayHold(probe)).toBe(expected);
  });

  it('keeps the stored keys in their order and returns the input itself when all are stored', () => {
    const probe = [key('spki', 'ef'.repeat(32)), stored[0], key('san-uri', 'spiffe://example.org/b'), stored[2]];
    expect(index.present(probe)).toEqual([stored[0], stored[2]]);
    expect(index.present(stored)).toBe(stored);
    expect(indexOf([]).present(stored)).toEqual([]);
  });

  it('says "may hold" for a colliding key: the caller then asks the database', () => {
    const colliding = indexOf(stored, () => 7);
    expect(colliding.present([key('fingerprint', 'unknown')])).toEqual([key('fingerprint', 'unknown')]);
  });

  it('hashes kind and value apart (the separator counts) into 32-bit integers', () => {
    expect(fnv1aKeyHash('san-uri', 'x')).not.toBe(fnv1aKeyHash('san-ur', 'ix'));
    expect(fnv1aKeyHash('subject', 'cn=a')).toBe(fnv1aKeyHash('subject', 'cn=a'));
    expect(Number.isInteger(fnv1aKeyHash('subject', 'cn=a')) && fnv1aKeyHash('subject', 'cn=a') === (fnv1aKeyHash('subject', 'cn=a') | 0)).toBe(true);
  });
});
