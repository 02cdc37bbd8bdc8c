import { LRUCache } from 'lru-cache';
import type { BindingKey, PrincipalLookup } from '../../normalize/principal.keys';
import type { CandidateLookup, CandidateReader, CandidateRow } from '../candidate.reader';
import type { RegistryKeyIndex } from './registry-key.index';

const NO_ROWS: CandidateRow[] = [];

/**
 * The statements `lookup` runs for a certificate not in the answer cache. Without a current
 * key index: the deny-list and candidate reads together (one statement). With one: only the
 * keys the index holds are asked about, so a certificate holding none needs no statement; and
 * candidate rows are cached by the set of binding keys held (certificates bound by a shared key,
 * a SAN URI or a subject DN kept across re-issues, have the same set), so only the first of them
 * reads.
 */
export class LookupReads {
  private readonly candidateRows: LRUCache<string, CandidateRow[]>;
  /** Bumped by every invalidation: rows read under an older one are not cached. */
  private generation = 0;

  constructor(
    private readonly reader: CandidateReader,
    readonly keyIndex: RegistryKeyIndex | undefined,
    cache: { readonly max: number; readonly ttlMs: number },
  ) {
    this.candidateRows = new LRUCache({ max: cache.max, ttl: Math.max(cache.ttlMs, 1), ttlResolution: 0 });
  }

  /** @param useIndex false while invalidations may be missed (the bus is disconnected): then the database alone answers. */
  async read(lookup: PrincipalLookup, useIndex: boolean): Promise<CandidateLookup> {
    const index = useIndex ? this.keyIndex?.current() : undefined;
    if (index === undefined) return this.both(lookup.bindingKeys, lookup.denyKeys);
    const denyKeys = index.denied.present(lookup.denyKeys);
    const bindingKeys = index.bindings.present(lookup.bindingKeys);
    const rowsKey = bindingKeys.map((key) => `${key.kind}\u0000${key.value}`).join('\u0001');
    const known = bindingKeys.length === 0 ? NO_ROWS : this.candidateRows.get(rowsKey);
    if (known !== undefined) return { denied: denyKeys.length > 0 && (await this.reader.denied(denyKeys)), rows: known };
    const generation = this.generation;
    const read = denyKeys.length === 0 ? { denied: false, rows: await this.reader.bindings(bindingKeys) } : await this.both(bindingKeys, denyKeys);
    if (generation === this.generation) this.candidateRows.set(rowsKey, read.rows);
    return read;
  }

  /** The registry changed (or may have). */
  invalidate(): void {
    this.generation++;
    this.candidateRows.clear();
    this.keyIndex?.invalidate();
  }

  close(): void {
    this.keyIndex?.close();
  }

  private async both(bindingKeys: readonly BindingKey[], denyKeys: readonly BindingKey[]): Promise<CandidateLookup> {
    if (this.reader.lookup) return this.reader.lookup(bindingKeys, denyKeys);
    return { denied: await this.reader.denied(denyKeys), rows: await this.reader.bindings(bindingKeys) };
  }
}
