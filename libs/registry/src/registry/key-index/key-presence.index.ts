import type { BindingKey } from '../../normalize/principal.keys';

/** A 32-bit hash of a `(kind, value)` key; injectable so a test can force collisions. */
export type KeyHash = (kind: string, value: string) => number;

/**
 * FNV-1a over the UTF-16 code units of `kind`, a NUL, then `value`: no string is built per key.
 * The values compared are the exact strings the statements compare (`(kind, value) IN (...)`),
 * so equal keys always hash equally; unequal keys that collide only cost the statement.
 */
export const fnv1aKeyHash: KeyHash = (kind, value) => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < kind.length; i++) hash = Math.imul(hash ^ kind.charCodeAt(i), 0x01000193);
  hash = Math.imul(hash, 0x01000193); // the NUL separator (hash ^ 0 = hash)
  for (let i = 0; i < value.length; i++) hash = Math.imul(hash ^ value.charCodeAt(i), 0x01000193);
  return hash | 0;
};

/**
 * Which keys a table may hold: the hashes of all its `(kind, value)` pairs, sorted in one
 * Int32Array (4 bytes a key, one object for the GC however many keys). `mayHold` is false only
 * for a key that is certainly absent; true means "present, or a hash collision": the caller then
 * asks the database, as it did before there was an index.
 */
export class KeyPresenceIndex {
  private constructor(
    private readonly hashes: Int32Array,
    private readonly hash: KeyHash,
    /**
     * Every kind of the table's keys, read from the same rows as the hashes; `undefined` when not
     * known (then every kind may be held). A key of a kind not in it is certainly absent, so a
     * lookup need not even compute it (a subject DN normalized for a registry without subject
     * bindings is wasted work on every never-seen certificate).
     */
    readonly kinds: ReadonlySet<string> | undefined,
  ) {}

  /** From hashes in any order (`hashes` is sorted in place and kept), and the kinds of the keys hashed. */
  static fromHashes(hashes: Int32Array, hash: KeyHash, kinds?: ReadonlySet<string>): KeyPresenceIndex {
    return new KeyPresenceIndex(hashes.sort(), hash, kinds);
  }

  /** False only when no key of `kind` is in the table. */
  mayHoldKind(kind: string): boolean {
    return this.kinds === undefined || this.kinds.has(kind);
  }

  get size(): number {
    return this.hashes.length;
  }

  mayHold(key: BindingKey): boolean {
    const target = this.hash(key.kind, key.value);
    const hashes = this.hashes;
    let low = 0;
    let high = hashes.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const found = hashes[middle];
      if (found === target) return true;
      if (found < target) low = middle + 1;
      else high = middle - 1;
    }
    return false;
  }

  /** The keys this table may hold, in their order (the input itself when all of them may). */
  present(keys: readonly BindingKey[]): readonly BindingKey[] {
    let kept: BindingKey[] | undefined;
    for (let i = 0; i < keys.length; i++) {
      if (this.mayHold(keys[i])) kept?.push(keys[i]);
      else kept ??= keys.slice(0, i);
    }
    return kept ?? keys;
  }
}
