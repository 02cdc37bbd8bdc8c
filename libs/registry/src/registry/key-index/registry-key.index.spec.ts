import { quietLogger } from '../../testing/principal.builder';
import type { KeySnapshot, KeySource } from './key-index.source';
import { fnv1aKeyHash, KeyPresenceIndex } from './key-presence.index';
import { RegistryKeyIndex } from './registry-key.index';

/** A key source over an in-memory key list, whose reads can be held open and made to fail. */
class ListKeySource implements KeySource {
  keys = [{ kind: 'fingerprint', value: 'aa' }];
  reads = 0;
  failing = false;
  gate?: Promise<void>;

  async count(): Promise<number> {
    if (this.failing) throw new Error('connect ECONNREFUSED');
    return this.keys.length;
  }

  async read(): Promise<KeySnapshot> {
    this.reads++;
    const keys = [...this.keys];
    await this.gate;
    const index = KeyPresenceIndex.fromHashes(
      Int32Array.from(keys, (k) => fnv1aKeyHash(k.kind, k.value)),
      fnv1aKeyHash,
    );
    return { bindings: index, denied: index };
  }
}

const holds = (snapshot: KeySnapshot | undefined, value: string) => snapshot?.bindings.mayHold({ kind: 'fingerprint', value }) ?? false;

describe('RegistryKeyIndex', () => {
  it('is not current before its first build, which the first lookup schedules', async () => {
    const index = new RegistryKeyIndex(new ListKeySource(), quietLogger(), 10);
    expect(index.current()).toBeUndefined();
    await index.settled();
    expect(holds(index.current(), 'aa')).toBe(true);
  });

  it('discards a build overtaken by an invalidation, and installs the next one', async () => {
    const source = new ListKeySource();
    const index = new RegistryKeyIndex(source, quietLogger(), 10);
    let release!: () => void;
    source.gate = new Promise((resolve) => (release = resolve));
    index.current();
    while (source.reads === 0) await new Promise((resolve) => setImmediate(resolve));
    // A deny-list entry is written while the build reads: the build saw the list without it.
    source.keys.push({ kind: 'fingerprint', value: 'bb' });
    index.invalidate();
    release();
    await index.settled();
    expect(index.current()).toBeUndefined(); // discarded; this call schedules the next build
    source.gate = undefined;
    await index.settled();
    expect(holds(index.current(), 'bb')).toBe(true);
  });

  it('collapses invalidations that arrive while a build is pending into that build', async () => {
    const source = new ListKeySource();
    const index = new RegistryKeyIndex(source, quietLogger(), 10);
    for (let i = 0; i < 50; i++) {
      index.current();
      index.invalidate();
    }
    index.current();
    await index.settled();
    expect(source.reads).toBe(1);
    expect(index.current()).toBeDefined();
  });

  it('stays not current while the database fails, and builds again after it recovers', async () => {
    const source = new ListKeySource();
    const logger = quietLogger();
    const index = new RegistryKeyIndex(source, logger, 10);
    source.failing = true;
    index.current();
    await index.settled();
    expect(index.current()).toBeUndefined();
    expect(logger.lines).toEqual([expect.stringMatching(/^registry\.key-index\.unavailable: connect ECONNREFUSED/)]);
    source.failing = false;
    await index.settled(); // the retry waits out RETRY_AFTER_FAILURE_MS
    expect(holds(index.current(), 'aa')).toBe(true);
  });

  it('does not read a registry over maxKeys, says why once, and counts again only after a write', async () => {
    const source = new ListKeySource();
    source.keys.push({ kind: 'fingerprint', value: 'bb' }, { kind: 'fingerprint', value: 'cc' });
    const logger = quietLogger();
    const index = new RegistryKeyIndex(source, logger, 2);
    index.current();
    await index.settled();
    expect(index.current()).toBeUndefined();
    await index.settled();
    index.invalidate();
    index.current();
    await index.settled();
    expect(source.reads).toBe(0);
    expect(logger.lines).toEqual([expect.stringMatching(/^registry\.key-index\.off: 3 bindings and deny-list entries exceed keyIndex\.maxKeys \(2\)/)]);
    source.keys.pop();
    index.invalidate();
    index.current();
    await index.settled();
    expect(holds(index.current(), 'bb')).toBe(true);
  });
});
