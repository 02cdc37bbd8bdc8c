import { LRUCache } from 'lru-cache';
import type { ClientCertPrincipal } from '@client-cert-auth/core';
import { type BindingKey, type LookupKeys, lookupKeysOf } from '../../normalize/principal.keys';
import type { CandidateLookup, CandidateReader, CandidateRow } from '../candidate.reader';
import type { KeySnapshot } from './key-index.source';
import type { RegistryKeyIndex } from './registry-key.index';

const NO_ROWS: CandidateRow[] = [];

/**
 * What `lookup` asks about one certificate: its keys, computed for the index that was current
 * then (`undefined`: none, so every key). Only the kinds that index holds are computed at all.
 */
export interface LookupPlan {
  readonly lookup: LookupKeys;
  readonly index: KeySnapshot | undefined;
}

/**
 * The statements `lookup` runs for a certificate not in the answer cache. Without a current
 * key index: the deny-list and candidate reads together (one statement). With one: only the
 * keys the index holds are asked about, so a certificate holding none needs no statement; and
 * candidate rows are cached by the set of binding keys held (certificates bound by a shared key,
 * a SAN URI or a subject DN kept across re-issues, have the same set), so only the first of them
 * reads. `readNow` answers those from memory without a promise.
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

  /** @param useIndex false while invalidations may be missed (the bus is disconnected): then every key, and the database alone answers. */
  plan(principal: ClientCertPrincipal, useIndex: boolean): LookupPlan {
    const index = useIndex ? this.keyIndex?.current() : undefined;
    return { lookup: index === undefined ? lookupKeysOf(principal) : lookupKeysOf(principal, index.bindings, index.denied), index };
  }

  /**
   * The answer from memory alone: the index is (still) current, no deny key of the certificate
   * is in it, and its present binding keys are none or a set whose rows are cached. `undefined`
   * when a statement is needed.
   */
  readNow(plan: LookupPlan): CandidateLookup | undefined {
    const { index, lookup } = plan;
    if (index === undefined || index !== this.keyIndex?.current()) return undefined;
    if (index.denied.present(lookup.denyKeys).length > 0) return undefined;
    const bindingKeys = index.bindings.present(lookup.bindingKeys);
    const rows = bindingKeys.length === 0 ? NO_ROWS : this.candidateRows.get(rowsKeyOf(bindingKeys));
    return rows === undefined ? undefined : { denied: false, rows };
  }

  /**
   * The answer, reading what memory does not hold. The caller makes the plan again when its
   * index is no longer current (an invalidation came in between): its keys may lack a kind written since.
   */
  async read(plan: LookupPlan): Promise<CandidateLookup> {
    const { lookup, index } = plan;
    if (index === undefined) return this.both(lookup.bindingKeys, lookup.denyKeys);
    const denyKeys = index.denied.present(lookup.denyKeys);
    const bindingKeys = index.bindings.present(lookup.bindingKeys);
    const rowsKey = rowsKeyOf(bindingKeys);
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

/** The candidate-rows cache key of a set of present binding keys; one key (the usual case) needs no array. */
function rowsKeyOf(keys: readonly BindingKey[]): string {
  if (keys.length === 1) return `${keys[0].kind}\u0000${keys[0].value}`;
  return keys.map((key) => `${key.kind}\u0000${key.value}`).join('\u0001');
}
