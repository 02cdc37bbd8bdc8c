import { ClientCertOptionsError } from '../options/options.error';
import type { ParsedCertificate } from './parsed-certificate';
import type { PathValidationFailureCode, PathValidationResult } from './path-validation.types';
import { type PathFailure, type ProfilePolicy, describe, failure } from './certificate-profile.check';
import { resolveEku } from './extended-key-usage.names';
import { KEY_IMPORT_COST, keyPolicyFault, verificationCost } from './key-policy.check';
import { DEFAULT_POLICY_SETTINGS, type PolicySettings } from './policy.check';
import { type StaticCheckMemo, type StaticChecks, checkPath } from './path.checks';
import { planPreVerification } from './pre-verification.plan';
import { type PreVerifiedSignatures, type SignatureEdge, preVerifiedAnswer } from './signature.pre-verifier';
import { verifyCertificateSignature } from './signature.verifier';
import { TrustPoolIndex, indexForwardedChain } from './trust-pool.index';

/** Options of {@link CertificatePathValidator}; resolved once, at construction. */
export interface CertificatePathValidatorOptions {
  /** Trust anchors (usually self-signed roots; an intermediate may be an anchor too). */
  readonly anchors: readonly ParsedCertificate[];
  /** Configured intermediates, added to the forwarded chain's pool. @default [] */
  readonly intermediates?: readonly ParsedCertificate[];
  /** Tolerance on notBefore / notAfter. @default 60 */
  readonly clockSkewSeconds?: number;
  /** EKUs (names or OIDs) the leaf must allow. @default ['clientAuth'] */
  readonly requiredEku?: readonly string[];
  /** keyUsage bits the leaf must assert when it has a keyUsage extension. @default ['digitalSignature'] */
  readonly requiredKeyUsage?: readonly string[];
  /** Maximum number of intermediates (self-issued ones excepted) between leaf and anchor. @default 8 */
  readonly maxPathLength?: number;
  /** Minimum RSA modulus size, for every certificate in the path. @default 2048 */
  readonly minRsaBits?: number;
  /** Maximum RSA modulus size, for every certificate in the path (a larger key costs more per verification). @default 8192 */
  readonly maxRsaBits?: number;
  /**
   * Most certificates a forwarded chain may hold (the leaf not counted); a longer chain is
   * refused before any work. The module passes its `limits.maxCertificates`.
   * @default 64
   */
  readonly maxForwardedCertificates?: number;
  /** Accept SHA-1 signatures (MD5 never). @default false */
  readonly allowSha1?: boolean;
  /** Let anyExtendedKeyUsage in the leaf stand for every required EKU (RFC 5280 allows it; OpenSSL does not). @default false */
  readonly allowAnyEkuInLeaf?: boolean;
  /** Certificate policy processing inputs (RFC 5280 §6.1.1). @default any policy, nothing required or inhibited */
  readonly certificatePolicies?: CertificatePolicyOptions;
}

/** The inputs of certificate policy processing (RFC 5280 §6.1.1 (c)-(f)). */
export interface CertificatePolicyOptions {
  /**
   * Policies (OIDs) at least one of which the path must be valid for (user-initial-policy-set);
   * setting it also requires an explicit policy. @default any policy
   * @example ['1.3.6.1.4.1.55738.1.1']
   */
  readonly acceptable?: readonly string[];
  /** Require a valid policy for the path even when no certificate asks for one (initial-explicit-policy). @default false */
  readonly requireExplicitPolicy?: boolean;
  /** Ignore policyMappings (initial-policy-mapping-inhibit). @default false */
  readonly inhibitPolicyMapping?: boolean;
  /** Let anyPolicy match nothing (initial-any-policy-inhibit). @default false */
  readonly inhibitAnyPolicy?: boolean;
}

/** Per-call overrides. */
export interface PathValidationOptions {
  /** Validation time. @default new Date() */
  readonly at?: Date;
  readonly requiredEku?: readonly string[];
  readonly requiredKeyUsage?: readonly string[];
  readonly maxPathLength?: number;
}

/**
 * Caps that keep a hostile pool (100 certificates with one subject, cycles, expensive keys) to
 * milliseconds. Signature checks are paid for by their estimated cost (key-policy.check.ts,
 * microseconds of CPU, key import included): 8 ms at most per request, whatever mix of keys a
 * chain brings, which keeps the worst request under 20 ms of CPU on a loaded 2-core machine
 * (bench/hostile-chains.bench.ts). Checks between two configured certificates are memoized for
 * the process and not charged (a request cannot make new ones). A legitimate chain fits (leaf
 * plus five forwarded P-384 CAs, or two forwarded P-521 CAs, or any RSA/P-256 chain of full
 * depth); a longer P-521/P-384 chain must have its CAs configured as intermediates.
 */
const SIGNATURE_BUDGET_MICROSECONDS = 8_000;
const MAX_CANDIDATES = 2_000;
const MAX_NAME_COMPARISONS = 1 << 16;

interface Search {
  readonly policy: ProfilePolicy;
  readonly maxPathLength: number;
  readonly local: ReadonlyMap<string, ParsedCertificate[]>;
  readonly signatures: Map<ParsedCertificate, Map<ParsedCertificate, boolean>>;
  /** Answers the thread pool computed before this validation (signature.pre-verifier.ts). */
  readonly preVerified: PreVerifiedSignatures | undefined;
  /** Forwarded issuers whose key import was charged to the budget. */
  readonly imported: Set<ParsedCertificate>;
  readonly budget: { signatureCost: number; candidates: number; names: { remaining: number } };
  best?: { rank: number; failure: PathFailure };
}

/** The RFC 5280 §6.1.1 inputs from the options; an acceptable-policy list also requires an explicit policy. */
function policySettings(options: CertificatePolicyOptions | undefined): PolicySettings {
  if (!options) return DEFAULT_POLICY_SETTINGS;
  const acceptable = options.acceptable ? new Set(options.acceptable) : undefined;
  if (acceptable) {
    for (const oid of acceptable) {
      if (!/^[0-2](\.(0|[1-9]\d*))+$/.test(oid))
        throw new ClientCertOptionsError('validation.certificatePolicies.acceptable', `holds '${oid}'`, 'Use dotted policy OIDs, e.g. 1.3.6.1.4.1.55738.1.1.');
    }
  }
  return Object.freeze({
    acceptable,
    requireExplicit: options.requireExplicitPolicy === true || acceptable !== undefined,
    inhibitMapping: options.inhibitPolicyMapping === true,
    inhibitAnyPolicy: options.inhibitAnyPolicy === true,
  });
}

/** Whether `c`, or the same CA (subject + key) under another certificate, is already on `path`. */
function onPath(path: readonly ParsedCertificate[], c: ParsedCertificate): boolean {
  for (const p of path) {
    if (p === c || (p.subject.normalized === c.subject.normalized && p.publicKey.der.equals(c.publicKey.der))) return true;
  }
  return false;
}

/**
 * RFC 5280 certification path building and validation, Nest-free.
 *
 * Builds paths from the leaf to a trust anchor over the unordered pool (forwarded chain +
 * configured intermediates), by issuer/subject name with AKI/SKI to prefer and prune
 * candidates, backtracking over cross-signed and alternative issuers, with loop detection,
 * a depth limit and a global work budget. Each complete path gets the full check set
 * (validity, basicConstraints, pathLen, keyUsage, EKU, name constraints, critical
 * extensions, algorithm and key policy); the first path that passes wins. When none does,
 * the failure of the most complete candidate is reported.
 *
 * @example
 * const validator = new CertificatePathValidator({ anchors: [root], intermediates: [issuing] });
 * const result = validator.validate(leaf, forwardedChain, { at: new Date() });
 * if (!result.ok) throw new ClientCertError(result.code, result.reason);
 */
export class CertificatePathValidator {
  private readonly pool: TrustPoolIndex;
  private readonly skewMs: number;
  private readonly requiredEku: readonly string[];
  private readonly requiredKeyUsage: readonly string[];
  private readonly maxPathLength: number;
  private readonly minRsaBits: number;
  private readonly maxRsaBits: number;
  private readonly maxForwarded: number;
  private readonly allowSha1: boolean;
  private readonly allowAnyEkuInLeaf: boolean;
  private readonly certificatePolicies: PolicySettings;
  private readonly ekuCache = new Map<string, string[]>();
  /** Signature verdicts between configured certificates (intermediate <- anchor): computed once, not per request. */
  private readonly configuredSignatures = new Map<ParsedCertificate, Map<ParsedCertificate, boolean>>();
  /** Per-role static check results of configured certificates (see path.checks.ts). */
  private readonly statics: StaticChecks;

  constructor(options: CertificatePathValidatorOptions) {
    // A NaN or negative number here would make comparisons pass silently: refuse it at bootstrap.
    const numeric = (name: string, value: number, min: number) => {
      if (!Number.isFinite(value) || value < min) throw new ClientCertOptionsError(`validation.${name}`, `is ${value}`, `Use a number >= ${min}.`);
      return value;
    };
    this.skewMs = numeric('clockSkewSeconds', options.clockSkewSeconds ?? 60, 0) * 1000;
    this.requiredEku = resolveEku(options.requiredEku ?? ['clientAuth']);
    this.requiredKeyUsage = [...(options.requiredKeyUsage ?? ['digitalSignature'])];
    this.maxPathLength = numeric('maxPathLength', options.maxPathLength ?? 8, 0);
    this.minRsaBits = numeric('minRsaBits', options.minRsaBits ?? 2048, 0);
    this.maxRsaBits = numeric('maxRsaBits', options.maxRsaBits ?? 8192, this.minRsaBits);
    this.maxForwarded = numeric('maxForwardedCertificates', options.maxForwardedCertificates ?? 64, 0);
    this.allowSha1 = options.allowSha1 ?? false;
    this.allowAnyEkuInLeaf = options.allowAnyEkuInLeaf ?? false;
    this.certificatePolicies = policySettings(options.certificatePolicies);
    this.pool = new TrustPoolIndex(options.anchors, options.intermediates ?? []);
    this.statics = { memo: new WeakMap<ParsedCertificate, StaticCheckMemo>(), configured: this.pool.configured };
  }

  /**
   * Validates `leaf` at `options.at`. Never throws: every outcome is a typed result.
   * @param forwardedChain certificates sent with the leaf, in any order (duplicates and the leaf itself are ignored)
   * @param preVerified answers of `SignaturePreVerifier` for these very certificate objects:
   *   each is read where the search would verify that signature, after charging its budget as usual
   */
  validate(
    leaf: ParsedCertificate,
    forwardedChain: readonly ParsedCertificate[] = [],
    options: PathValidationOptions = {},
    preVerified?: PreVerifiedSignatures,
  ): PathValidationResult {
    try {
      return this.run(leaf, forwardedChain, options, preVerified);
    } catch (error) {
      // Fail closed on anything unexpected, without letting the exception escape to the request.
      return { ok: false, code: 'CERT_UNTRUSTED', reason: `path validation failed: ${(error as Error)?.message ?? error}` };
    }
  }

  /**
   * The costly signature checks `validate` would almost surely make for this leaf and chain
   * (pre-verification.plan.ts): what is worth verifying on the thread pool first. Never throws.
   */
  signaturesWorthPreVerifying(leaf: ParsedCertificate, forwardedChain: readonly ParsedCertificate[]): SignatureEdge[] {
    if (forwardedChain.length > this.maxForwarded) return [];
    try {
      return planPreVerification(leaf, indexForwardedChain(leaf, forwardedChain, this.pool), this.pool, {
        minRsaBits: this.minRsaBits,
        maxRsaBits: this.maxRsaBits,
      });
    } catch {
      return []; // hostile input: validate() reports it
    }
  }

  private run(
    leaf: ParsedCertificate,
    forwardedChain: readonly ParsedCertificate[],
    options: PathValidationOptions,
    preVerified: PreVerifiedSignatures | undefined,
  ): PathValidationResult {
    const atMs = Math.floor((options.at ?? new Date()).getTime() / 1000) * 1000; // certificate times have second precision
    // An invalid Date would make every validity comparison false, i.e. pass: fail closed instead.
    if (!Number.isFinite(atMs)) return { ok: false, code: 'CERT_UNTRUSTED', reason: 'the validation time is not a valid date' };
    if (forwardedChain.length > this.maxForwarded) {
      return {
        ok: false,
        code: 'CERT_UNTRUSTED',
        reason: `the forwarded chain holds ${forwardedChain.length} certificates, more than the ${this.maxForwarded} accepted`,
      };
    }
    const search: Search = {
      policy: {
        atMs,
        skewMs: this.skewMs,
        minRsaBits: this.minRsaBits,
        maxRsaBits: this.maxRsaBits,
        allowSha1: this.allowSha1,
        requiredEku: options.requiredEku ? this.resolveEkuCached(options.requiredEku) : this.requiredEku,
        requiredKeyUsage: options.requiredKeyUsage ?? this.requiredKeyUsage,
        allowAnyEkuInLeaf: this.allowAnyEkuInLeaf,
        certificatePolicies: this.certificatePolicies,
        memoKey: options.requiredEku ? options.requiredEku.join(',') : undefined,
      },
      maxPathLength: options.maxPathLength ?? this.maxPathLength,
      local: indexForwardedChain(leaf, forwardedChain, this.pool),
      signatures: new Map(),
      preVerified,
      imported: new Set(),
      budget: { signatureCost: SIGNATURE_BUDGET_MICROSECONDS, candidates: MAX_CANDIDATES, names: { remaining: MAX_NAME_COMPARISONS } },
    };
    const path = [leaf];
    if (this.extend(path, search)) return { ok: true, path: [...path], anchor: path[path.length - 1] };
    const best = search.best?.failure ?? failure('CERT_UNTRUSTED', `no issuer of ${describe(leaf, 'leaf')} found`);
    return { ok: false, code: best.code, reason: best.reason };
  }

  private resolveEkuCached(names: readonly string[]): string[] {
    const key = names.join(',');
    let oids = this.ekuCache.get(key);
    if (!oids) this.ekuCache.set(key, (oids = resolveEku(names)));
    return oids;
  }

  /** Depth-first search from the last certificate of `path`; on success `path` ends at an anchor. */
  private extend(path: ParsedCertificate[], search: Search): boolean {
    const cert = path[path.length - 1];
    // Skip loops, and the same CA (subject + key) again under another certificate.
    const candidates = this.pool.issuersOf(cert, search.local).filter((c) => !onPath(path, c));
    if (candidates.length === 0) {
      this.record(
        search,
        path.length,
        failure(
          'CERT_UNTRUSTED',
          `no issuer of ${describe(cert, path.length === 1 ? 'leaf' : 'intermediate')} (issuer "${cert.issuer.rfc4514}") among the trust anchors and intermediates`,
        ),
      );
      return false;
    }
    for (const candidate of candidates) {
      if (--search.budget.candidates < 0) {
        this.record(search, 999_999, failure('CERT_UNTRUSTED', 'path building exceeded its work budget'));
        return false;
      }
      const isAnchor = this.pool.isAnchor(candidate);
      if (!isAnchor && this.intermediateCount(path) + (candidate.selfIssued ? 0 : 1) > search.maxPathLength) {
        this.record(search, path.length, failure('CERT_UNTRUSTED', `no path within ${search.maxPathLength} intermediate(s) to a trust anchor`));
        continue;
      }
      // The key policy comes before any use of the key: a key outside it never verifies anything.
      const keyFault = keyPolicyFault(candidate.publicKey, search.policy);
      if (keyFault) {
        this.record(search, path.length, failure('CERT_POLICY', `${describe(candidate, isAnchor ? 'trust anchor' : 'CA')} ${keyFault}; its key is not used`));
        continue;
      }
      if (!this.signatureValid(cert, candidate, search)) {
        if (search.budget.signatureCost < 0) return false; // out of budget: stop, the budget failure is recorded
        this.record(
          search,
          path.length,
          failure(
            'CERT_UNTRUSTED',
            `the signature on ${describe(cert, path.length === 1 ? 'leaf' : 'intermediate')} does not verify with the key of "${candidate.subject.rfc4514}"`,
          ),
        );
        continue;
      }
      path.push(candidate);
      if (isAnchor) {
        const bad = checkPath(path, search.policy, search.budget.names, this.statics);
        if (!bad) return true;
        this.record(search, 1_000_000 + path.length, bad);
      } else if (path.length < search.maxPathLength * 2 + 2 && this.extend(path, search)) {
        return true;
      }
      path.pop();
    }
    return false;
  }

  private intermediateCount(path: readonly ParsedCertificate[]): number {
    let count = 0;
    for (let i = 1; i < path.length; i++) if (!path[i].selfIssued) count++;
    return count;
  }

  private signatureValid(child: ParsedCertificate, issuer: ParsedCertificate, search: Search): boolean {
    const configured = this.pool.configured;
    const betweenConfigured = configured.has(child) && configured.has(issuer);
    const memo = betweenConfigured ? this.configuredSignatures : search.signatures;
    let byIssuer = memo.get(child);
    const known = byIssuer?.get(issuer);
    if (known !== undefined) return known;
    let cost = betweenConfigured ? 0 : verificationCost(issuer.publicKey);
    if (!configured.has(issuer) && !search.imported.has(issuer)) {
      search.imported.add(issuer);
      cost += KEY_IMPORT_COST;
    }
    if ((search.budget.signatureCost -= cost) < 0) {
      this.record(
        search,
        999_999,
        failure('CERT_UNTRUSTED', `path building exceeded its budget of ${SIGNATURE_BUDGET_MICROSECONDS / 1000} ms of signature checks`),
      );
      return false;
    }
    const valid = (betweenConfigured ? undefined : preVerifiedAnswer(search.preVerified, child, issuer)) ?? verifyCertificateSignature(child, issuer);
    if (!byIssuer) memo.set(child, (byIssuer = new Map()));
    byIssuer.set(issuer, valid);
    return valid;
  }

  private record(search: Search, rank: number, result: PathFailure): void {
    if (!search.best || rank > search.best.rank) search.best = { rank, failure: result };
  }
}

export type { PathValidationFailureCode };
