import { SeenOnceKeys } from './seen-once.keys';

describe('SeenOnceKeys', () => {
  it('remembers a recorded key, key 0 and the largest 30-bit key included', () => {
    const seen = new SeenOnceKeys(100);
    for (const key of [0, 1, 2 ** 30 - 1]) {
      expect(seen.has(key)).toBe(false);
      seen.record(key);
      expect(seen.has(key)).toBe(true);
    }
  });

  it('forgets everything on clear', () => {
    const seen = new SeenOnceKeys(100);
    seen.record(42);
    seen.clear();
    expect(seen.has(42)).toBe(false);
  });

  it('keeps at least twice maxEntries keys that do not share a slot', () => {
    const seen = new SeenOnceKeys(5000);
    for (let key = 0; key < 10_000; key++) seen.record(key * 7919);
    let kept = 0;
    for (let key = 0; key < 10_000; key++) if (seen.has(key * 7919)) kept++;
    expect(kept).toBe(10_000);
  });

  it('forgets a key whose slot another key took, and never confuses the two', () => {
    const seen = new SeenOnceKeys(1); // the smallest table: 1024 slots
    seen.record(5);
    seen.record(5 + 1024);
    expect(seen.has(5)).toBe(false);
    expect(seen.has(5 + 1024)).toBe(true);
  });

  it('stays within a fixed size however large maxEntries is', () => {
    const seen = new SeenOnceKeys(10_000_000);
    seen.record(2 ** 30 - 1);
    expect(seen.has(2 ** 30 - 1)).toBe(true);
    expect((seen as unknown as { slots: Int32Array }).slots.byteLength).toBe(16 * 2 ** 20);
  });
});
