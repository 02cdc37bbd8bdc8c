import { hash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { sha256Hex } from '../certificate/der-digest';
import type { ParsedCertificate } from '../certificate/parsed-certificate';
import type { PathValidationFailureCode } from '../certificate/path-validation.types';
import type { ClientCertPrincipal } from '../principal/client-cert-principal';
import { CompactCertificate, compactPath } from './compact-certificate';

const NONE_DECODED: readonly ParsedCertificate[] = [];

/** A path-validation outcome for one (profile, leaf, chain, trust store) combination. */
export type CertificateVerdict =
  | {
      readonly ok: true;
      readonly path: readonly ParsedCertificate[];
      readonly principal: ClientCertPrincipal;
      /**
       * The certificates this request decoded (leaf, then forwarded chain), while the path is
       * still theirs: slimmed only when the verdict is kept (`set`). Most never-seen successes
       * are not kept (the warm path holds the returning client), and need no slimming at all.
       */
      readonly decoded?: readonly ParsedCertificate[];
    }
  | { readonly ok: false; readonly code: PathValidationFailureCode | 'TRUST_DOMAIN_MISMATCH'; readonly reason: string };

/**
 * Caches decode + path validation + principal by the hash of the forwarded bytes, so a known
 * client costs one SHA-256 and one map lookup. A success never outlives the earliest notAfter
 * in its path; a failure is kept only briefly so a fixed clock or CA update is seen soon.
 * Bounded by entries and by bytes (`verdictBytes`, an estimate): least recently used first.
 * The authenticator keeps a success here only when the warm path will not hold that client.
 */
export class VerdictCache {
  private readonly cache?: LRUCache<string, CertificateVerdict>;

  constructor(
    private readonly options: { maxEntries: number; maxBytes: number; ttlSeconds: number; failureTtlSeconds: number },
    private readonly trustStoreVersion: string,
  ) {
    if (options.maxEntries > 0 && options.maxBytes > 0) {
      this.cache = new LRUCache({
        max: options.maxEntries,
        maxSize: options.maxBytes,
        sizeCalculation: (verdict, key) => verdictBytes(key, verdict),
        ttlAutopurge: false,
        allowStale: false,
        // lru-cache's default (1 ms) caches its clock behind a setTimeout: at ~2,000 cold
        // requests/s that is a timer created and fired per request (~1-2 µs each, bench/results/
        // issue14-cold-http.md §3). One `performance.now()` per get/set is cheaper.
        ttlResolution: 0,
      });
    }
  }

  /**
   * The cache key of one forwarded (leaf, chain) for one profile: `profile \0 version \0 L|C
   * SHA-256`. Hot path: one one-shot `crypto.hash` (no Hash object, whose native handle the GC
   * must finalize, per request); the common chain-less case hashes the leaf bytes as they are,
   * in hex through `sha256Hex`, so decoding the leaf next reuses the digest as its fingerprint.
   */
  keyFor(profile: string, leaf: Buffer, chain: readonly Buffer[]): string {
    if (chain.length === 0) return `${profile}\0${this.trustStoreVersion}\0L${sha256Hex(leaf)}`;
    const parts: Buffer[] = [lengthPrefix(leaf.length), leaf];
    for (const der of chain) parts.push(lengthPrefix(der.length), der);
    return `${profile}\0${this.trustStoreVersion}\0C${hash('sha256', Buffer.concat(parts), 'base64')}`;
  }

  /**
   * The verdict stored under `key`. With the request's certificates (whose hash `key` is), a
   * success comes with its slimmed certificates bound to those bytes, so every field of theirs
   * can be read; without them, as the cache keeps it: for checking presence, or reading the
   * principal and the kept fields (`CompactCertificate`).
   */
  get(key: string, forwarded?: { readonly leaf: Buffer; readonly chain: readonly Buffer[] }): CertificateVerdict | undefined {
    const verdict = this.cache?.get(key);
    if (verdict === undefined || !verdict.ok || forwarded === undefined) return verdict;
    const path = verdict.path.map((certificate) =>
      certificate instanceof CompactCertificate
        ? certificate.boundTo(certificate.forwardedIndex === 0 ? forwarded.leaf : forwarded.chain[certificate.forwardedIndex - 1])
        : certificate,
    );
    return { ok: true, path, principal: verdict.principal };
  }

  /** Keeps `verdict` (a success slimmed, without its certificates' bytes: `compactPath`). */
  set(key: string, verdict: CertificateVerdict, now: number): void {
    if (!this.cache) return;
    const ttlMs = this.ttlMs(verdict, now);
    if (ttlMs <= 0) return;
    const kept: CertificateVerdict = verdict.ok
      ? { ok: true, path: compactPath(verdict.path, verdict.decoded ?? NONE_DECODED), principal: verdict.principal }
      : verdict;
    this.cache.set(key, kept, { ttl: ttlMs });
  }

  delete(key: string): void {
    this.cache?.delete(key);
  }

  /** Until when (epoch ms) the entry under `key` is kept; `now` when there is none. */
  expiresAt(key: string, now: number): number {
    return now + (this.cache?.getRemainingTTL(key) ?? 0);
  }

  /** Until when (epoch ms) `verdict` would be kept if it were `set` at `now` (`now` when it would not be). */
  keptUntil(verdict: CertificateVerdict, now: number): number {
    return this.cache ? now + Math.max(0, this.ttlMs(verdict, now)) : now;
  }

  private ttlMs(verdict: CertificateVerdict, now: number): number {
    return verdict.ok ? Math.min(this.options.ttlSeconds * 1000, earliestNotAfter(verdict.path) - now) : this.options.failureTtlSeconds * 1000;
  }

  clear(): void {
    this.cache?.clear();
  }

  get size(): number {
    return this.cache?.size ?? 0;
  }

  /** The sum of the entries' `verdictBytes`. */
  get bytes(): number {
    return this.cache?.calculatedSize ?? 0;
  }
}

/**
 * Bytes one entry keeps alive, estimated from lengths alone (no traversal), a little above what
 * `bench/profile/retained.profile.ts` measures (a P-256 leaf under a configured intermediate:
 * ~1.08 KB measured, ~1.11 KB estimated). The certificates' DER is not kept. Names, SANs and URLs are shared between entries
 * (`SHARED_VALUES`, bounded on its own) and counted here only by reference; configured CA
 * certificates are not counted.
 */
export function verdictBytes(key: string, verdict: CertificateVerdict): number {
  // The LRU slot, the key and the verdict object.
  let bytes = 120 + key.length;
  if (!verdict.ok) return bytes + 64 + 2 * verdict.reason.length;
  // The principal: its object, serial, fingerprints, dates and chain list.
  bytes += 480 + 2 * verdict.principal.serialNumber.length + 8 * verdict.principal.chainFingerprints.length;
  for (const certificate of verdict.path) {
    // A certificate decoded for a request: its slim object; a configured one is shared.
    bytes += certificate instanceof CompactCertificate ? 300 : 8;
  }
  return bytes;
}

/** Length prefixes keep (a, bc) and (ab, c) from hashing alike. */
function lengthPrefix(length: number): Buffer {
  const prefix = Buffer.allocUnsafe(4);
  prefix.writeUInt32BE(length);
  return prefix;
}

/**
 * Earliest notAfter (epoch ms) over a validated path. A loop, not `Math.min(...path.map())`:
 * twice per cold success (the verdict's TTL, the warm entry's expiry), without an array and a
 * spread call each time.
 */
export function earliestNotAfter(path: readonly ParsedCertificate[]): number {
  let earliest = Infinity;
  for (const certificate of path) earliest = Math.min(earliest, certificate.notAfter.getTime());
  return earliest;
}
