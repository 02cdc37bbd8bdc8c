import { LRUCache } from 'lru-cache';
import type { DataSource } from 'typeorm';
import { ClientCertRegistry } from '@client-cert-auth/core';
import type { AccountCertificateExpiry, RegistryLookup, RegistryMatch } from '@client-cert-auth/core';
import type { ClientCertPrincipal } from '@client-cert-auth/core';
import { ClientCertError, isClientCertError, type BindingScopeSummary } from '@client-cert-auth/core';
import { KEY_BOUND_KINDS } from '../normalize/binding-value.normalizer';
import type { InvalidationBus } from '../invalidation/invalidation.bus';
import { type BindingKey, chainKeyOf, denyKeys, principalLookup, type PrincipalScope } from '../normalize/principal.keys';
import { type AmbiguityPolicy, type MatchOutcome, nextWindowBoundary, pickRow } from './binding.matcher';
import { CandidateQuery } from './candidate.query';
import type { CandidateReader, CandidateRow } from './candidate.reader';
import { keySourceFor } from './key-index/key-index.source';
import { type LookupPlan, LookupReads } from './key-index/lookup.reads';
import { DEFAULT_KEY_INDEX_MAX_KEYS, type KeyIndexOptions, RegistryKeyIndex } from './key-index/registry-key.index';
import type { KeyHash } from './key-index/key-presence.index';
import { candidateReaderFor, type RequestPath } from './request-path/candidate-reader.factory';
import { soonestExpiriesPerAccount } from './certificate-expiry.query';
import { LastSeenRecorder } from './last-seen.recorder';
import { LoadedMatch } from './loaded.match';
import { MatchPartsInterner } from './match-parts.interner';
import { defaultRegistryLogger, type RegistryLogger } from './registry.logger';

/** Tuning of the TypeORM registry. */
export interface TypeOrmRegistryOptions {
  /** Upper bound on how long an answer is cached (belt and braces next to invalidation). @default 30 */
  readonly cacheTtlSeconds?: number;
  /** Entries per cache (resolutions, deny-list answers, `lookup` answers, candidate rows by key set: each). @default 10000 */
  readonly cacheMax?: number;
  /** How often `last_seen_at` is written; 0 = only on `flushLastSeen()` / close. @default 30 */
  readonly lastSeenFlushSeconds?: number;
  /** @default 'any-level' (see AmbiguityPolicy) */
  readonly ambiguity?: AmbiguityPolicy;
  readonly logger?: RegistryLogger;
  /**
   * After a database failure, answer REGISTRY_UNAVAILABLE at once for this long instead of letting
   * every request wait for its own connect timeout; the first request after it probes again.
   * @default 500
   */
  readonly failFastMs?: number;
  /** Injectable clock for rotation-window tests. @default () => new Date() */
  readonly clock?: () => Date;
  /**
   * How lookups reach the database: `'prepared'` runs prepared statements on the raw driver
   * (better-sqlite3, pg; any other driver uses TypeORM anyway), `'typeorm'` the query builder.
   * @default 'prepared'
   */
  readonly requestPath?: RequestPath;
  /**
   * The key-presence index: every bound and every denied `(kind, value)` as a 4-byte hash in
   * memory, so a never-seen certificate whose keys are bound nowhere (or only by keys already
   * looked up) is answered by `lookup` without a statement. `false` turns it off.
   * @default { maxKeys: 1000000 }
   */
  readonly keyIndex?: false | KeyIndexOptions;
  /** The index's key hash; tests inject a colliding one. @default FNV-1a */
  readonly keyIndexHash?: KeyHash;
}

/** A `lookup` answer as cached: a denied certificate is not resolved. */
type LookupOutcome = { readonly denied: true } | { readonly denied: false; readonly outcome: MatchOutcome };
const DENIED: LookupOutcome = { denied: true };
const DENIED_LOOKUP: RegistryLookup = { denied: true, match: null };

/** Binding candidates read together with a deny-list answer, waiting for the `resolve` that follows. */
interface Prefetch {
  readonly rows: CandidateRow[];
  readonly generation: number;
  readonly at: number;
}

/** A prefetch older than this is not used: `resolve` reads again (it normally follows within microseconds). */
const PREFETCH_MAX_AGE_MS = 1000;

/**
 * A cached answer. Its key is the certificate's fingerprint (a string the principal holds
 * anyway); `variant` is the rest of what the answer was computed for (the CA chain it was
 * validated with; the issuer and serial asked about), compared on every hit: a key of all of it
 * joined was a ~200-character string per entry. `expiresAt` (clock ms) is the next
 * rotation-window edge: the answer is wrong from then on.
 */
type Cached<T> = { readonly value: T; readonly expiresAt?: number; readonly variant: readonly string[] };

/**
 * `ClientCertRegistry` on TypeORM (SQLite or PostgreSQL). Per cache miss it runs ONE indexed
 * query over every `(kind, value)` the principal could be bound by, then picks the strongest
 * kind in code. On the request path that query is a prepared statement on the raw driver
 * (request-path/); TypeORM keeps migrations, admin and every other driver. When `isDenied` is
 * asked about a principal whose answer is not cached, the deny-list and binding reads go out
 * as one statement, and the `resolve` that follows uses the rows read with it: a never-seen
 * certificate costs one round trip. `lookup` (what the authenticator calls) answers both in one
 * cache probe, and with the key-presence index (key-index/) often without any statement.
 * Answers (including "no account" and ambiguity) are cached
 * per instance until the TTL, a rotation-window edge, or an invalidation from the bus. Any
 * database failure becomes `REGISTRY_UNAVAILABLE`; the next request tries again (recovery
 * without restart).
 *
 * Disabled accounts are returned, not thrown: the guard owns the ACCOUNT_DISABLED decision.
 */
export class TypeOrmClientCertRegistry extends ClientCertRegistry {
  private readonly resolutions: LRUCache<string, Cached<MatchOutcome>>;
  private readonly denials: LRUCache<string, Cached<boolean>>;
  /** `lookup`'s answers: one cache probe per certificate for both questions. */
  private readonly lookups: LRUCache<string, Cached<LookupOutcome>>;
  private readonly lookupReads: LookupReads;
  private readonly inflight = new Map<string, Promise<unknown>>();
  private readonly query: CandidateQuery;
  private readonly reader: CandidateReader;
  /** Per principal object: candidates read by `isDenied` for the `resolve` that follows. */
  private readonly prefetched = new WeakMap<ClientCertPrincipal, Prefetch>();
  private readonly lastSeen: LastSeenRecorder;
  private readonly parts = new MatchPartsInterner();
  private readonly ttlMs: number;
  private readonly policy: AmbiguityPolicy;
  private readonly clock: () => Date;
  private readonly logger: RegistryLogger;
  private readonly unsubscribe: () => void;
  /** Bumped by every invalidation: an answer computed under an older generation is not cached. */
  private invalidations = 0;
  private readonly nowMs: () => number;
  /**
   * The plan `lookupNow` made for a principal it could not answer from memory, taken by the
   * `lookup` the authenticator calls right after (synchronously): its keys are not computed twice.
   */
  private planned?: { readonly principal: ClientCertPrincipal; readonly plan: LookupPlan };
  private closed = false;
  private readonly failFastMs: number;
  /** Monotonic-ish wall time until which we do not touch the database (after a failure). */
  private unavailableUntil = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: InvalidationBus,
    options: TypeOrmRegistryOptions = {},
  ) {
    super();
    this.ttlMs = (options.cacheTtlSeconds ?? 30) * 1000;
    const max = options.cacheMax ?? 10_000;
    // ttlResolution 0: read the clock on each access instead of caching it for 1 ms behind a
    // setTimeout; at a few thousand lookups a second that timer was created and fired about once per
    // request per cache (~1-2 µs each), more than the clock reads it saved.
    this.resolutions = new LRUCache({ max, ttl: Math.max(this.ttlMs, 1), ttlResolution: 0 });
    this.denials = new LRUCache({ max, ttl: Math.max(this.ttlMs, 1), ttlResolution: 0 });
    this.lookups = new LRUCache({ max, ttl: Math.max(this.ttlMs, 1), ttlResolution: 0 });
    this.policy = options.ambiguity ?? 'any-level';
    this.failFastMs = options.failFastMs ?? 500;
    this.clock = options.clock ?? (() => new Date());
    const clock = options.clock;
    // No Date allocation per call unless a test injected a clock.
    this.nowMs = clock ? () => clock().getTime() : Date.now;
    this.logger = options.logger ?? defaultRegistryLogger();
    this.query = new CandidateQuery(dataSource);
    this.reader = candidateReaderFor(dataSource, options.requestPath);
    this.lastSeen = new LastSeenRecorder(dataSource, this.logger, options.lastSeenFlushSeconds ?? 30);
    const keySource = options.keyIndex === false ? undefined : keySourceFor(dataSource);
    const keyIndex =
      keySource && options.keyIndex !== false
        ? new RegistryKeyIndex(keySource, this.logger, options.keyIndex?.maxKeys ?? DEFAULT_KEY_INDEX_MAX_KEYS, options.keyIndexHash)
        : undefined;
    this.lookupReads = new LookupReads(this.reader, keyIndex, { max, ttlMs: this.ttlMs });
    this.unsubscribe = bus.subscribe(() => this.invalidate());
  }

  override async resolve(principal: ClientCertPrincipal): Promise<RegistryMatch | null> {
    const lookup = principalLookup(principal);
    const outcome = await this.cached('resolve', this.resolutions, principal.fingerprintSha256, [lookup.chainKey], async () =>
      this.matched(principal, lookup.scope, this.takePrefetch(principal) ?? (await this.reader.bindings(lookup.bindingKeys))),
    );
    return this.answer(principal, outcome);
  }

  /**
   * The deny-list answer and the binding in one cache probe and at most one statement. With the
   * key-presence index current, only keys it holds are asked about (and only keys of kinds it
   * holds are computed): none held, no statement. Answers it can give from memory alone it gives
   * without the in-flight and promise plumbing (`lookupNow`).
   * The variant is the chain alone: the fingerprint fixes issuer and serial (the deny keys).
   */
  override async lookup(principal: ClientCertPrincipal): Promise<RegistryLookup> {
    let planned = this.takePlan(principal);
    if (planned === undefined) {
      const now = this.lookupNow(principal);
      if (now !== undefined) return now;
      planned = this.takePlan(principal);
    }
    const answer = await this.cached('lookup', this.lookups, principal.fingerprintSha256, [chainKeyOf(principal)], async () => {
      const useIndex = this.bus.connected;
      // A plan made for an index no longer current (an invalidation came in between) may lack a kind written since.
      const current = useIndex ? this.keyIndex?.current() : undefined;
      const plan = planned !== undefined && planned.index === current ? planned : this.lookupReads.plan(principal, useIndex);
      const { denied, rows } = await this.lookupReads.read(plan);
      if (denied) return { value: DENIED };
      const { value, expiresAt } = this.matched(principal, plan.lookup.scope, rows);
      return { value: { denied: false, outcome: value }, expiresAt };
    });
    return answer.denied ? DENIED_LOOKUP : { denied: false, match: this.answer(principal, answer.outcome) };
  }

  /**
   * The authenticator's: `lookup`'s answer when memory alone gives it (a cached answer; or the
   * key index current, no deny key of the certificate in it, and the candidate rows of its
   * present binding keys cached), computed synchronously. `undefined`: call `lookup`.
   * @throws ClientCertError IDENTITY_AMBIGUOUS, as `lookup` does.
   */
  override lookupNow(principal: ClientCertPrincipal): RegistryLookup | undefined {
    // Without a live invalidation channel neither a cached answer nor the index can be trusted.
    if (!this.bus.connected) return undefined;
    const hit = this.lookups.get(principal.fingerprintSha256);
    if (hit && hit.variant.length === 1 && hit.variant[0] === chainKeyOf(principal) && (hit.expiresAt === undefined || this.nowMs() < hit.expiresAt)) {
      return hit.value.denied ? DENIED_LOOKUP : { denied: false, match: this.answer(principal, hit.value.outcome) };
    }
    // What `load` refuses (closed, failing fast, not connected) is refused by `lookup` with its error.
    if (this.closed || Date.now() < this.unavailableUntil || !this.dataSource.isInitialized) return undefined;
    const plan = this.lookupReads.plan(principal, true);
    const read = this.lookupReads.readNow(plan);
    if (read === undefined) {
      this.planned = { principal, plan };
      return undefined;
    }
    // Not stored in the answer cache: computed from memory, it is as current as a cached one, and
    // an entry per never-seen certificate (its eviction, its share of GC) cost more than computing
    // it again; a returning client is answered by the core's warm path anyway.
    return { denied: false, match: this.answer(principal, this.matched(principal, plan.lookup.scope, read.rows).value) };
  }

  /** The plan `lookupNow` left for this principal, once. */
  private takePlan(principal: ClientCertPrincipal): LookupPlan | undefined {
    const planned = this.planned;
    if (planned === undefined) return undefined;
    this.planned = undefined;
    return planned.principal === principal ? planned.plan : undefined;
  }

  /** The key-presence index, `undefined` when switched off or the driver has no raw key source (tests, benchmarks). */
  get keyIndex(): RegistryKeyIndex | undefined {
    return this.lookupReads.keyIndex;
  }

  /** The outcome of `rows` for this principal now; a match carries its reuse horizon and sighting (LoadedMatch). */
  private matched(principal: ClientCertPrincipal, scope: PrincipalScope, rows: readonly CandidateRow[]): { value: MatchOutcome; expiresAt?: number } {
    const at = this.clock();
    const picked = pickRow(rows, scope, at, this.policy);
    const expiresAt = nextWindowBoundary(rows, at);
    if (picked.type !== 'row') return { value: picked, expiresAt };
    const binding = this.parts.bindingOf(picked.row);
    const match = new LoadedMatch(this.parts.accountOf(picked.row.account), binding, Math.min(at.getTime() + this.ttlMs, expiresAt ?? Infinity), {
      bindingId: binding.id,
      fingerprintSha256: principal.fingerprintSha256.toLowerCase(),
      notAfter: principal.notAfter,
    });
    return { value: { type: 'match', match }, expiresAt };
  }

  /** The match (sighting recorded), `null`, or IDENTITY_AMBIGUOUS. */
  private answer(principal: ClientCertPrincipal, outcome: MatchOutcome): RegistryMatch | null {
    if (outcome.type === 'ambiguous') {
      throw new ClientCertError('IDENTITY_AMBIGUOUS', `certificate matches bindings of several accounts: ${outcome.accounts.join(', ')}`, {
        accounts: outcome.accounts,
        kind: outcome.kind,
        fingerprint: principal.fingerprintSha256,
      });
    }
    if (outcome.type === 'none') return null;
    this.lastSeen.record(outcome.match.account.id, this.nowMs(), LoadedMatch.sightingOf(outcome.match));
    return outcome.match;
  }

  /**
   * Changes with every invalidation this instance applies (local bus, NOTIFY, SQLite
   * data_version); `undefined` while the bus is disconnected or the registry closed, when this
   * registry itself serves nothing from its cache.
   */
  override generation(): number | undefined {
    return this.closed || !this.bus.connected ? undefined : this.invalidations;
  }

  /** The warm path's sighting: the same in-memory batch as `resolve`, no query. */
  override touch(match: RegistryMatch): void {
    this.lastSeen.record(match.account.id, this.nowMs(), LoadedMatch.sightingOf(match));
  }

  /** A match is reusable until its cache TTL from the query that found it, or the next rotation-window edge. */
  override reusableUntil(match: RegistryMatch): number | undefined {
    return LoadedMatch.horizonOf(match) ?? this.nowMs();
  }

  override async isDenied(certificate: { readonly fingerprintSha256: string; readonly issuer: string; readonly serialNumber: string }): Promise<boolean> {
    // Looked up by the raw fingerprint, issuer and serial (cheap); DN normalization happens only on a miss.
    return this.cached('deny', this.denials, certificate.fingerprintSha256, [certificate.issuer, certificate.serialNumber], async () => {
      if (this.reader.lookup && isPrincipal(certificate)) {
        const lookup = principalLookup(certificate);
        if (!this.bus.connected || !sameVariant(this.resolutions.peek(certificate.fingerprintSha256)?.variant ?? [], [lookup.chainKey])) {
          const generation = this.invalidations;
          const { denied, rows } = await this.reader.lookup(lookup.bindingKeys, lookup.denyKeys);
          this.prefetched.set(certificate, { rows, generation, at: this.nowMs() });
          return { value: denied };
        }
        return { value: await this.reader.denied(lookup.denyKeys) };
      }
      let keys: BindingKey[];
      try {
        keys = denyKeys(certificate);
      } catch {
        // An issuer we cannot normalize can only be denied by fingerprint.
        keys = [{ kind: 'fingerprint' as const, value: certificate.fingerprintSha256.toLowerCase() }];
      }
      return { value: await this.reader.denied(keys) };
    });
  }

  /** The rows `isDenied` read for this principal, once, if no invalidation came in between and they are fresh. */
  private takePrefetch(principal: ClientCertPrincipal): CandidateRow[] | undefined {
    const prefetch = this.prefetched.get(principal);
    if (prefetch === undefined) return undefined;
    this.prefetched.delete(principal);
    if (prefetch.generation !== this.invalidations || this.nowMs() - prefetch.at > PREFETCH_MAX_AGE_MS) return undefined;
    return prefetch.rows;
  }

  /** How many name-based bindings are not tied to a CA key (start-up checks, rule `binding-scoped-by-name`). */
  override describeBindings(): Promise<BindingScopeSummary> {
    return this.query.scopeSummary(KEY_BOUND_KINDS);
  }

  /**
   * Per active account, the soonest notAfter of the certificates last seen on its bindings (as
   * of the last last-seen flush), soonest first, at most `limit`: read at metrics scrape time.
   * @throws ClientCertError REGISTRY_UNAVAILABLE when the database cannot answer.
   */
  override soonestExpiries(limit: number): Promise<AccountCertificateExpiry[]> {
    return this.load(() => soonestExpiriesPerAccount(this.dataSource, limit));
  }

  /** Drops every cached answer of this instance (the bus calls it on every registry write). */
  invalidate(): void {
    this.invalidations++;
    this.resolutions.clear();
    this.denials.clear();
    this.lookups.clear();
    this.lookupReads.invalidate();
    this.inflight.clear();
    this.parts.clear();
  }

  /** Writes pending last-seen times now. */
  flushLastSeen(): Promise<void> {
    return this.lastSeen.flush();
  }

  /** Stops timers, flushes last-seen; the DataSource and bus belong to whoever created them. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    this.lookupReads.close();
    await this.lastSeen.close();
  }

  /** Not `async`, and no `finally` chain: a cold lookup is a handful of microtasks, each one counts. */
  private cached<T>(
    flight: 'resolve' | 'deny' | 'lookup',
    cache: LRUCache<string, Cached<T>>,
    key: string,
    variant: readonly string[],
    load: () => Promise<{ value: T; expiresAt?: number }>,
  ): Promise<T> {
    // Without a live invalidation channel a cached answer could be stale: go to the database.
    const useCache = this.bus.connected;
    if (useCache) {
      const hit = cache.get(key);
      if (hit && sameVariant(hit.variant, variant) && (hit.expiresAt === undefined || this.nowMs() < hit.expiresAt)) return Promise.resolve(hit.value);
    }
    // Concurrent misses for one key share one query (a burst of one new certificate = 1 query).
    const flightKey = `${flight}:${key}\u0000${variant.join('\u0000')}`;
    const pending = this.inflight.get(flightKey) as Promise<T> | undefined;
    if (pending) return pending;
    const generation = this.invalidations;
    const landed = () => this.inflight.get(flightKey) === promise && this.inflight.delete(flightKey);
    const promise: Promise<T> = this.load(load).then(
      ({ value, expiresAt }) => {
        landed();
        const ttl = Math.min(this.ttlMs, (expiresAt ?? Infinity) - this.nowMs());
        if (useCache && this.bus.connected && generation === this.invalidations && ttl > 0) cache.set(key, { value, expiresAt, variant }, { ttl });
        return value;
      },
      (error: unknown) => {
        landed();
        throw error;
      },
    );
    this.inflight.set(flightKey, promise);
    return promise;
  }

  private async load<T>(load: () => Promise<T>): Promise<T> {
    if (this.closed) throw new ClientCertError('REGISTRY_UNAVAILABLE', 'the account registry is closed');
    if (Date.now() < this.unavailableUntil) {
      throw new ClientCertError('REGISTRY_UNAVAILABLE', 'the account registry failed moments ago; retry later', { failFast: true });
    }
    try {
      // A microtask less per lookup when connected (the usual case).
      if (!this.dataSource.isInitialized) await this.query.ensureConnected();
      return await load();
    } catch (error) {
      if (isClientCertError(error)) throw error;
      this.unavailableUntil = Date.now() + this.failFastMs;
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn(`registry.unavailable: ${reason}`);
      throw new ClientCertError('REGISTRY_UNAVAILABLE', 'the account registry cannot be reached; retry later', { reason });
    }
  }
}

/** The authenticator hands `isDenied` the whole principal: then its binding keys are known too. */
function isPrincipal(certificate: object): certificate is ClientCertPrincipal {
  const candidate = certificate as Partial<ClientCertPrincipal>;
  const san = candidate.san;
  return (
    typeof candidate.spkiSha256 === 'string' &&
    Array.isArray(candidate.chainFingerprints) &&
    typeof san === 'object' &&
    san !== null &&
    Array.isArray(san.uri) &&
    Array.isArray(san.dns) &&
    Array.isArray(san.email)
  );
}

function sameVariant(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((part, i) => part === b[i]);
}
