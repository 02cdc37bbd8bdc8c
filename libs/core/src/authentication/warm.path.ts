import type { RegistryMatch } from '../registry/client-account';
import type { ClientCertRegistry } from '../registry/client-cert-registry';
import type { RevocationChecker, RevocationVerdict } from '../revocation/revocation.checker';
import type { ForwardedRequest } from '../header/forwarded-request';
import type { TrustedProxies } from '../source/trusted-proxies';
import type { AuthenticatedClient } from './authenticated-client';
import type { ClientCertDecision } from './client-cert-decision';
import { boundDecisionFields } from './decision-fields.bound';
import type { DecisionLog } from './decision.log';
import { assertRoles } from './roles.check';
import { WarmCache, type WarmCacheLimits } from './warm.cache';

/** How often a warm entry reports its client to `registry.touch` (last-seen is written in batches anyway). */
const TOUCH_INTERVAL_MS = 1000;

/** Registry and revocation data versions, read before a cold run: a change while it runs makes its result stale. */
export interface DataGenerations {
  readonly registry: number;
  readonly revocation: number;
}

/** A cold success, as the warm path needs it. */
export interface ColdSuccess {
  readonly client: AuthenticatedClient;
  readonly match: RegistryMatch;
  readonly revocation: RevocationVerdict;
  /** Epoch ms: earliest of the verdict's cache lifetime and the path's notAfter. */
  readonly validUntil: number;
  /** The decision the cold run recorded (its fields; `result` and timings are replaced). */
  readonly decision: Omit<ClientCertDecision, 'result' | 'durationMs'>;
}

/**
 * The synchronous answer for a client seen before: the same (frozen) result as its last success
 * for exactly these certificate headers from this peer, while the registry and the revocation
 * data are unchanged and nothing the result rests on has expired. No parsing, no signature, no
 * query, no promise: the guard returns `true` before Nest awaits anything (bench/).
 */
export class WarmPath {
  private readonly cache: WarmCache;

  constructor(
    limits: WarmCacheLimits,
    private readonly proxies: TrustedProxies,
    private readonly registry: ClientCertRegistry,
    private readonly revocation: RevocationChecker,
    private readonly decisions: DecisionLog,
  ) {
    this.cache = new WarmCache(limits);
  }

  /**
   * `undefined` when results may not be reused at all: no cache, or a registry that cannot say
   * when its data change (no `generation`, or its invalidation channel is down).
   */
  generations(): DataGenerations | undefined {
    if (!this.cache.enabled) return undefined;
    const registry = this.registry.generation?.();
    return registry === undefined ? undefined : { registry, revocation: this.revocation.generation() };
  }

  /**
   * The stored result, with `requiredRoles` enforced and a decision recorded; `undefined`: no
   * such result, take the cold path.
   * @throws ClientCertError ROLE_MISSING
   */
  lookup(request: ForwardedRequest, requiredRoles?: readonly string[]): AuthenticatedClient | undefined {
    if (!this.cache.enabled) return undefined;
    const registryGeneration = this.registry.generation?.();
    if (registryGeneration === undefined) return undefined;
    const key = this.proxies.warmKey(request);
    if (key === undefined) return undefined;
    const now = Date.now();
    const entry = this.cache.get(key, registryGeneration, this.revocation.generation(), now);
    if (entry === undefined) return undefined;
    if (requiredRoles !== undefined && requiredRoles.length > 0) {
      try {
        assertRoles(entry.client.account, requiredRoles);
      } catch (error) {
        const { durationMs, ...fields } = entry.decision;
        this.decisions.record(boundDecisionFields({ ...fields, result: 'ROLE_MISSING', reason: (error as Error).message, durationMs }));
        throw error;
      }
    }
    this.decisions.record(entry.decision);
    if (now - entry.touchedAt >= TOUCH_INTERVAL_MS) {
      entry.touchedAt = now;
      this.registry.touch?.(entry.match);
    }
    return entry.client;
  }

  /**
   * Stores a cold success (from its key's second success on), unless its revocation answer must
   * be asked again: `unknown` keeps retrying in soft-fail, and a `good` without an expiry was not
   * cached upstream either.
   * @returns whether the warm path holds this client: stored now, or seen once and to be stored
   *   at its next success. False when it never will (no warm key, revocation not reusable, an
   *   entry past its expiry or larger than the cache).
   */
  remember(request: ForwardedRequest, success: ColdSuccess, generations: DataGenerations): boolean {
    const { revocation } = success;
    if (revocation.mode !== 'off' && (revocation.status !== 'good' || revocation.validUntil === undefined)) return false;
    const key = this.proxies.warmKey(request);
    if (key === undefined) return false;
    const now = Date.now();
    const expiresAt = Math.min(
      success.validUntil,
      revocation.mode === 'off' ? Infinity : revocation.validUntil!.getTime(),
      this.registry.reusableUntil ? (this.registry.reusableUntil(success.match) ?? Infinity) : Infinity,
    );
    if (!this.cache.canHold(key, expiresAt, now)) return false;
    if (!this.cache.admit(key.key)) return true;
    if (success.decision.revocation) Object.freeze(success.decision.revocation);
    const decision = Object.freeze({ ...success.decision, cached: true, revocationMs: 0, result: 'OK', durationMs: 0 } as ClientCertDecision);
    this.cache.set(
      {
        identity: key,
        client: success.client,
        match: success.match,
        decision,
        expiresAt,
        registryGeneration: generations.registry,
        revocationGeneration: generations.revocation,
        // The first hit touches: the cold run's own sighting came from `resolve`.
        touchedAt: 0,
        used: false,
      },
      now,
    );
    return true;
  }
}
