import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, Optional } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { parseCertificate } from '../certificate/certificate.parser';
import type { ParsedCertificate } from '../certificate/parsed-certificate';
import { CertificatePathValidator } from '../certificate/path.validator';
import { type PreVerifiedSignatures, SignaturePreVerifier } from '../certificate/signature.pre-verifier';
import { ClientCertError, isClientCertError } from '../errors/client-cert.error';
import { assertClaimsMatch } from '../header/claims.check';
import type { ForwardedRequest } from '../header/forwarded-request';
import { ClientCertOptionsError } from '../options/options.error';
import type { ResolvedClientCertAuthOptions } from '../options/options.resolver';
import { enforceRegistryChecks } from '../options/setup.linter';
import type { ResolvedSpiffePolicy } from '../options/spiffe.options';
import { createPrincipal } from '../principal/principal.factory';
import { trustDomainRefusal } from '../principal/spiffe-trust-domain.check';
import { RevocationChecker, enforceRevocationVerdict, type RevocationVerdict } from '../revocation/revocation.checker';
import type { RegistryMatch } from '../registry/client-account';
import { type AccountCertificateExpiry, ClientCertRegistry } from '../registry/client-cert-registry';
import { ReplayStore } from '../source/replay.store';
import { TrustedProxies, type ExtractedCertificate } from '../source/trusted-proxies';
import { RESOLVED_OPTIONS } from '../client-cert-auth.tokens';
import { issueAuthenticatedClient, type AuthenticatedClient } from './authenticated-client';
import type { ClientCertDecision } from './client-cert-decision';
import { ColdValidationGate } from './cold-validation.gate';
import { boundDecisionFields } from './decision-fields.bound';
import { DecisionLog } from './decision.log';
import { assertRoles } from './roles.check';
import { VerdictCache, earliestNotAfter, type CertificateVerdict } from './verdict.cache';
import { WarmPath, type DataGenerations } from './warm.path';

type Trace = { -readonly [K in keyof ClientCertDecision]?: ClientCertDecision[K] };

/** What a successful run of the pipeline knows, beyond the client, to decide how long it may be reused. */
interface Outcome {
  readonly client: AuthenticatedClient;
  readonly match: RegistryMatch;
  readonly verdictKey: string;
  readonly verdict: CertificateVerdict;
  /** Validated by this request (not read from the verdict cache): not cached yet. */
  readonly fresh: boolean;
  readonly notAfter: number;
  readonly revocation: RevocationVerdict;
}

/**
 * Runs the pipeline for one request: source trust, extraction, decode, path validation,
 * revocation, principal, registry. The guard and the Passport strategy both call this, so
 * there is one implementation of every decision. Throws `ClientCertError` on every refusal and
 * records every decision in the decision log.
 */
@Injectable()
export class ClientCertAuthenticator implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ClientCertAuth');
  private readonly proxies: TrustedProxies;
  private readonly validator: CertificatePathValidator;
  private readonly verdicts: VerdictCache;
  private readonly revocation: RevocationChecker;
  private readonly decisions: DecisionLog;
  private readonly registry: ClientCertRegistry;
  private readonly warm: WarmPath;
  private readonly spiffe: ResolvedSpiffePolicy;
  private readonly options: ResolvedClientCertAuthOptions;
  private readonly coldGate = new ColdValidationGate();
  /** Absent when `validation.signatureThreadPool` is off. */
  private readonly preVerifier: SignaturePreVerifier | undefined;

  /**
   * @param replayStore shared nonce store for HMAC-signed profiles (the PostgreSQL registry
   *   provides one; `null` or absent: each instance remembers nonces in its own memory).
   */
  constructor(
    @Inject(RESOLVED_OPTIONS) options: ResolvedClientCertAuthOptions,
    @Optional() registry?: ClientCertRegistry,
    @Optional() @Inject(ReplayStore) replayStore?: ReplayStore | null,
  ) {
    if (!registry) {
      throw new ClientCertOptionsError(
        'registry',
        'is not provided',
        'Import ClientCertRegistryModule.forRoot({ database: ... }) or provide your own ClientCertRegistry implementation.',
      );
    }
    this.registry = registry;
    this.spiffe = options.spiffe;
    this.options = options;
    this.proxies = new TrustedProxies([...options.proxies], options.limits, Date.now, replayStore ?? undefined);
    this.validator = new CertificatePathValidator({
      anchors: [...options.trustStore.anchors],
      intermediates: [...options.trustStore.intermediates],
      clockSkewSeconds: options.validation.clockSkewSeconds,
      requiredEku: [...options.validation.requiredEku],
      maxPathLength: options.validation.maxPathLength,
      minRsaBits: options.validation.minRsaBits,
      maxRsaBits: options.validation.maxRsaBits,
      certificatePolicies: options.validation.certificatePolicies,
      // The header parsers already refuse more; this bounds what a chain can add to path building.
      maxForwardedCertificates: Math.max(options.limits.maxCertificates, ...options.proxies.map((p) => p.limits?.maxCertificates ?? 0)),
    });
    this.preVerifier = options.validation.signatureThreadPool ? new SignaturePreVerifier() : undefined;
    this.verdicts = new VerdictCache(options.cache, options.trustStore.version);
    this.revocation = new RevocationChecker(options.revocation, this.logger);
    this.decisions = new DecisionLog(
      options.decisions,
      options.proxies.map((p) => p.name),
    );
    this.warm = new WarmPath(options.cache, this.proxies, registry, this.revocation, this.decisions);
  }

  /** Every decision, as it is made (metrics, audit). Returns a function that unsubscribes. */
  onDecision(listener: (decision: ClientCertDecision) => void): () => void {
    return this.decisions.subscribe(listener);
  }

  /** Revocation data state, for health checks. */
  revocationHealth(): ReturnType<RevocationChecker['health']> {
    return this.revocation.health();
  }

  /**
   * The registry's reader of each account's soonest last-seen certificate expiry (the metrics
   * gauge reads it at scrape time); `undefined` when the registry does not keep them.
   */
  certificateExpiries(): ((limit: number) => Promise<readonly AccountCertificateExpiry[]>) | undefined {
    const registry = this.registry;
    return registry.soonestExpiries ? (limit) => registry.soonestExpiries!(limit) : undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.revocation.start();
    await this.checkBindings();
  }

  /** The start-up checks that need the registry's data; a registry that cannot answer yet only skips them. */
  private async checkBindings(): Promise<void> {
    try {
      const summary = await this.registry.describeBindings?.();
      if (summary) enforceRegistryChecks(this.options, summary, this.logger);
    } catch (error) {
      this.logger.warn({
        event: 'client_cert.setup_check_skipped',
        rule: 'binding-scoped-by-name',
        message: `registry bindings could not be read: ${(error as Error).message}`,
      });
    }
  }

  onModuleDestroy(): void {
    this.revocation.stop();
    this.decisions.close();
  }

  /**
   * Authenticates the request and, when `requiredRoles` are given, checks that the account holds
   * every one of them (`ROLE_MISSING` otherwise). Tries the warm path first.
   */
  async authenticate(request: ForwardedRequest, requiredRoles?: readonly string[]): Promise<AuthenticatedClient> {
    return this.authenticateWarm(request, requiredRoles) ?? this.authenticateCold(request, requiredRoles);
  }

  /**
   * The warm path alone, synchronous (`WarmPath.lookup`): `undefined` means "call `authenticate`".
   * @throws ClientCertError ROLE_MISSING
   */
  authenticateWarm(request: ForwardedRequest, requiredRoles?: readonly string[]): AuthenticatedClient | undefined {
    return this.warm.lookup(request, requiredRoles);
  }

  /**
   * The full pipeline without trying the warm path first: for a caller that has just had
   * `authenticateWarm` answer `undefined` for this request (the guard), so the warm key is not
   * read and looked up a second time.
   */
  async authenticateCold(request: ForwardedRequest, requiredRoles?: readonly string[]): Promise<AuthenticatedClient> {
    const started = performance.now();
    // Read BEFORE the pipeline: an invalidation while it runs then marks the stored entry stale.
    const generations = this.warm.generations();
    // The trace becomes the decision itself (fields appended in the order a spread would give):
    // one object per request instead of two.
    const trace: Trace = { remoteAddress: request.remoteAddress };
    let outcome: Outcome;
    try {
      outcome = await this.run(request, trace);
      // Before the warm path keeps a copy: it replays these fields on every hit.
      boundDecisionFields(trace);
      if (generations !== undefined) this.remember(request, outcome, trace, generations);
      else if (outcome.fresh) this.verdicts.set(outcome.verdictKey, outcome.verdict, Date.now());
      assertRoles(outcome.client.account, requiredRoles);
    } catch (error) {
      const known = isClientCertError(error);
      trace.result = known ? error.code : 'AUTH_INTERNAL_ERROR';
      trace.reason = known ? error.message : String(error);
      // Refusals before a profile was chosen (source, header) still name the one that refused.
      if (known && trace.profile === undefined && typeof error.details.profile === 'string') trace.profile = error.details.profile;
      trace.durationMs = performance.now() - started;
      this.decisions.record(boundDecisionFields(trace) as ClientCertDecision);
      throw error;
    }
    trace.result = 'OK';
    trace.durationMs = performance.now() - started;
    this.decisions.record(trace as ClientCertDecision);
    return outcome.client;
  }

  /**
   * Hands a success to the warm path. When the warm path holds the client (or will, from its
   * next success on), its verdict is not kept as well: one entry per returning client, and a
   * one-off certificate (a scan, short-lived certificates) leaves nothing but the warm cache's
   * seen-once key. The price: a client's second request, and its first after a registry or
   * revocation data change, validates again instead of hitting the verdict.
   */
  private remember(request: ForwardedRequest, outcome: Outcome, trace: Trace, generations: DataGenerations): void {
    const { verdictKey, verdict, fresh } = outcome;
    const now = Date.now();
    const verdictUntil = fresh ? this.verdicts.keptUntil(verdict, now) : this.verdicts.expiresAt(verdictKey, now);
    const held = this.warm.remember(
      request,
      { client: outcome.client, match: outcome.match, revocation: outcome.revocation, validUntil: Math.min(verdictUntil, outcome.notAfter), decision: trace },
      generations,
    );
    // A client the warm path holds (or will from its next success on) keeps no verdict: it would
    // only be memory. A fresh one is set only when kept, never set and then deleted: lru-cache's
    // `delete` of its last entry clears the whole cache, refilling arrays of `maxEntries` slots
    // (38 µs per cold request in a profile of the HTTP cold bench, where the cache holds one).
    if (fresh && !held) this.verdicts.set(verdictKey, verdict, now);
    else if (!fresh && held) this.verdicts.delete(verdictKey);
  }

  /** The role check alone, for the Passport path where roles are known only after authentication. */
  authorize(client: AuthenticatedClient, requiredRoles: readonly string[] | undefined): void {
    try {
      assertRoles(client.account, requiredRoles);
    } catch (error) {
      const { principal, account } = client;
      this.decisions.record(
        boundDecisionFields({
          result: 'ROLE_MISSING',
          reason: (error as Error).message,
          profile: principal.profile,
          format: principal.format,
          fingerprintSha256: principal.fingerprintSha256,
          subject: principal.subject,
          account: account.name,
          durationMs: 0,
        }),
      );
      throw error;
    }
  }

  private async run(request: ForwardedRequest, trace: Trace): Promise<Outcome> {
    // Awaited only when there is something to wait for (a shared replay store's claim; a
    // revocation check that is not off): each `await` is a microtask hop on the cold path.
    const admitted = this.proxies.admitMaybeAsync(request);
    const extracted = admitted instanceof Promise ? await admitted : admitted;
    trace.profile = extracted.profile;
    trace.format = extracted.format;

    const { certificate } = extracted;
    const verdictKey = this.verdicts.keyFor(extracted.profile, certificate.leaf, certificate.chain);
    let cached = this.verdicts.get(verdictKey, certificate);
    if (cached === undefined) {
      // A never-seen certificate may have to wait for the next event-loop turn (ColdValidationGate);
      // another request may have validated the same bytes meanwhile: looked up again only then.
      const wait = this.coldGate.turn();
      if (wait) {
        await wait;
        cached = this.verdicts.get(verdictKey, certificate);
      }
    }
    const verified = this.verify(verdictKey, extracted, trace, cached);
    const verdict = verified instanceof Promise ? await verified : verified;
    if (!verdict.ok) throw new ClientCertError(verdict.code, verdict.reason);
    const fresh = !trace.cached;
    try {
      return await this.admitValidated(extracted, verdictKey, verdict, fresh, trace);
    } catch (error) {
      // Validated, then refused (revoked, unknown, disabled...): a repeat of it skips validation.
      if (fresh) this.verdicts.set(verdictKey, verdict, Date.now());
      throw error;
    }
  }

  /** Revocation, the registry and the account state, for a certificate whose path is valid. */
  private async admitValidated(
    extracted: ExtractedCertificate,
    verdictKey: string,
    verdict: CertificateVerdict & { readonly ok: true },
    fresh: boolean,
    trace: Trace,
  ): Promise<Outcome> {
    const principal = verdict.principal;
    trace.fingerprintSha256 = principal.fingerprintSha256;
    trace.subject = principal.subject;
    assertClaimsMatch(extracted.certificate, verdict.path[0]);

    const revocationStarted = performance.now();
    const checked = this.revocation.checkMaybeAsync(verdict.path);
    const revocation = checked instanceof Promise ? await checked : checked;
    trace.revocationMs = performance.now() - revocationStarted;
    trace.revocation = { status: revocation.status, source: revocation.source, dataAgeSeconds: revocation.dataAgeSeconds };
    enforceRevocationVerdict(revocation);
    // An answer the registry holds in memory comes without a promise (an await is a microtask hop).
    const { denied, match } = this.registry.lookupNow?.(principal) ?? (await this.registry.lookup(principal));
    if (denied) throw new ClientCertError('CERT_REVOKED', 'certificate is on the local deny-list');
    if (!match) throw new ClientCertError('IDENTITY_UNKNOWN', 'no account is bound to this certificate');
    trace.account = match.account.name;
    trace.binding = `${match.binding.kind}:${match.binding.value}`;
    if (match.account.status !== 'active') {
      throw new ClientCertError('ACCOUNT_DISABLED', `account ${match.account.name} is disabled`);
    }
    // Frozen: the warm path hands this very object to every later request.
    const client = issueAuthenticatedClient(Object.freeze({ ...principal, binding: match.binding }), match.account);
    return { client, match, verdictKey, verdict, fresh, notAfter: earliestNotAfter(verdict.path), revocation };
  }

  /**
   * Decode and validate, or reuse the verdict reached for the same bytes (`cached`, read by `run`
   * with this request's certificates). Synchronous unless the
   * signatures go to the thread pool: the cold gate's budget counts the validation a released
   * waiter runs before its first `await`, so the usual cold request must not have one.
   */
  private verify(
    key: string,
    extracted: ExtractedCertificate,
    trace: Trace,
    cached: CertificateVerdict | undefined,
  ): CertificateVerdict | Promise<CertificateVerdict> {
    const { certificate } = extracted;
    trace.cached = cached !== undefined;
    if (cached) return cached;

    const now = Date.now();
    const leaf = parseCertificate(certificate.leaf);
    trace.fingerprintSha256 = leaf.fingerprintSha256;
    trace.subject = leaf.subject.rfc4514;
    const chain = certificate.chain.map((der) => parseCertificate(der));
    const pending = this.preVerify(leaf, chain);
    return pending
      ? pending.then((preVerified) => this.validate(key, extracted, leaf, chain, now, preVerified))
      : this.validate(key, extracted, leaf, chain, now, undefined);
  }

  private validate(
    key: string,
    { profile, format }: ExtractedCertificate,
    leaf: ParsedCertificate,
    chain: readonly ParsedCertificate[],
    now: number,
    preVerified: PreVerifiedSignatures | undefined,
  ): CertificateVerdict {
    const result = this.validator.validate(leaf, chain, { at: new Date(now) }, preVerified);
    const refusal = result.ok ? trustDomainRefusal(leaf.subjectAltNames.uri, result.path[result.path.length - 1].publicKey.sha256, this.spiffe) : undefined;
    const verdict: CertificateVerdict = !result.ok
      ? { ok: false, code: result.code, reason: result.reason }
      : refusal !== undefined
        ? { ok: false, code: 'TRUST_DOMAIN_MISMATCH', reason: refusal }
        : {
            ok: true,
            path: result.path,
            principal: createPrincipal(result.path, { profile, format }),
            decoded: chain.length === 0 ? [leaf] : [leaf, ...chain],
          };
    // A success is kept (or not) once the pipeline has decided: `run` and `remember`.
    if (!verdict.ok) this.verdicts.set(key, verdict, now);
    return verdict;
  }

  /**
   * The costly signature checks of a never-seen certificate, on the thread pool
   * (signature.pre-verifier.ts), when the server is busy with never-seen certificates (another
   * started in this loop turn, others wait for a cold turn, or some verify on the pool): then the
   * event loop's time bounds cold req/s.
   * A lone request verifies synchronously: the hop there and back costs it more than it saves
   * (one at a time, always hopping: main-thread CPU 344 vs 292 µs and latency 1.06 vs 0.52 ms
   * per cold request, bench/thread-pool.bench.ts). Once the answers are back, the
   * synchronous validation waits for its turn in the cold gate again: answers that arrive
   * together still start one validation per loop turn.
   */
  private preVerify(leaf: ParsedCertificate, chain: readonly ParsedCertificate[]): Promise<PreVerifiedSignatures | undefined> | undefined {
    const preVerifier = this.preVerifier;
    if (!preVerifier || (preVerifier.idle && !this.coldGate.contended)) return undefined;
    const pending = preVerifier.preVerify(this.validator.signaturesWorthPreVerifying(leaf, chain));
    return pending && this.afterPool(pending);
  }

  /** The pool's answers, then a turn in the cold gate for the synchronous rest of the validation. */
  private async afterPool(pending: Promise<PreVerifiedSignatures>): Promise<PreVerifiedSignatures> {
    const preVerified = await pending;
    const wait = this.coldGate.turn();
    if (wait) await wait;
    return preVerified;
  }
}
