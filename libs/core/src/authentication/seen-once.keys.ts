/** Slots of the largest table (16 MiB): a `cache.maxEntries` in the millions needs no more to admit well. */
const MAX_SLOTS = 2 ** 22;
const MIN_SLOTS = 1024;

/**
 * The warm cache's admission memory: which keys (`WarmKey.key`, 30-bit hashes) had one success
 * so far. A direct-mapped table of integers, one slot per key: recording and asking cost an array
 * read and write, no allocation and no list to maintain. The lru-cache it replaces cost ~2 µs of
 * every never-seen certificate's CPU (a `set` per cold request, in a profile of the HTTP cold bench).
 *
 * Approximate, and only in what admission costs: a key whose slot another key took in between is
 * admitted one success later; a request identity with the same 30-bit key as one seen before is
 * admitted one success early. Neither decides an answer (a warm hit compares the whole request
 * identity). With at least twice `maxEntries` slots most keys are remembered about as long as an
 * LRU of `maxEntries` would; the memory is fixed, 4 bytes a slot, allocated once.
 */
export class SeenOnceKeys {
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(maxEntries: number) {
    let size = MIN_SLOTS;
    while (size < 2 * maxEntries && size < MAX_SLOTS) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
  }

  /** Whether `key` was recorded and still holds its slot. */
  has(key: number): boolean {
    // +1: an empty slot is 0, and a key may be 0.
    return this.slots[key & this.mask] === key + 1;
  }

  record(key: number): void {
    this.slots[key & this.mask] = key + 1;
  }

  clear(): void {
    this.slots.fill(0);
  }
}
