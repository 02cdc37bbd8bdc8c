import { resolveDecisionLogOptions, type ResolvedDecisionLogOptions } from '../authentication/decision-log.options';
import { resolveBoundTokenOptions, type ResolvedBoundTokenOptions } from '../bound-token/bound-token.options';
import { resolveMetricsOptions, type ResolvedMetricsOptions } from '../observability/metrics.options';
import type { ResponseHintOptions } from '../observability/response-hint.options';
import type { CertificatePolicyOptions } from '../certificate/path.validator';
import type { ClientCertAuthOptions } from './client-cert-auth.options';
import { DEFAULTS } from './options.defaults';
import { ClientCertOptionsError } from './options.error';
import type { RevocationMode, RevocationOptions } from './revocation.options';
import { loadTrustStore, type TrustStore } from './trust-store.loader';
import type { ClientCertProfileOptions } from './tls-profile.options';
import { resolveSetupCheckOptions, type SetupRule } from './setup.linter';
import { resolveSpiffeOptions, type ResolvedSpiffePolicy } from './spiffe.options';

/** Options after validation and defaulting: what the pipeline is built from. Frozen. */
export interface ResolvedClientCertAuthOptions {
  readonly proxies: readonly ClientCertProfileOptions[];
  readonly trustStore: TrustStore;
  readonly validation: {
    readonly clockSkewSeconds: number;
    readonly requiredEku: readonly string[];
    readonly maxPathLength: number;
    readonly minRsaBits: number;
    readonly maxRsaBits: number;
    readonly certificatePolicies?: CertificatePolicyOptions;
    readonly signatureThreadPool: boolean;
  };
  readonly revocation: RevocationOptions & { readonly mode: RevocationMode };
  readonly spiffe: ResolvedSpiffePolicy;
  readonly limits: { readonly maxHeaderBytes: number; readonly maxCertificates: number };
  readonly cache: { readonly maxEntries: number; readonly maxBytes: number; readonly ttlSeconds: number; readonly failureTtlSeconds: number };
  readonly decisions: ResolvedDecisionLogOptions;
  readonly metrics: ResolvedMetricsOptions;
  readonly setupChecks: { readonly acknowledge: readonly SetupRule[] };
  readonly responses: Required<ResponseHintOptions>;
  readonly boundTokens: ResolvedBoundTokenOptions;
}

const REVOCATION_MODES: readonly RevocationMode[] = ['off', 'soft-fail', 'hard-fail'];

/**
 * Validates options once, at bootstrap. Any mistake throws `ClientCertOptionsError`, which
 * stops the application with a message that says what to change.
 */
export function resolveOptions(options: ClientCertAuthOptions): ResolvedClientCertAuthOptions {
  if (!options || typeof options !== 'object') {
    throw new ClientCertOptionsError('options', 'are missing', 'Pass { proxies, trustAnchors } to ClientCertAuthModule.forRoot().');
  }
  if (!Array.isArray(options.proxies) || options.proxies.length === 0) {
    throw new ClientCertOptionsError(
      'proxies',
      'must list at least one trusted proxy',
      "Add the WAF that forwards certificates, e.g. proxies: [{ name: 'waf', from: ['10.0.0.0/8'], format: 'rfc9440' }].",
    );
  }
  const mode = options.revocation?.mode ?? DEFAULTS.revocationMode;
  if (!REVOCATION_MODES.includes(mode)) {
    throw new ClientCertOptionsError('revocation.mode', `is '${String(mode)}'`, `Use one of ${REVOCATION_MODES.join(', ')}.`);
  }
  const validation = options.validation ?? {};
  const trustStore = loadTrustStore(options.trustAnchors);
  const minRsaBits = count('validation.minRsaBits', validation.minRsaBits, DEFAULTS.minRsaBits, 1024, 16384);
  const resolved: ResolvedClientCertAuthOptions = {
    proxies: options.proxies,
    trustStore,
    validation: Object.freeze({
      clockSkewSeconds: count('validation.clockSkewSeconds', validation.clockSkewSeconds, DEFAULTS.clockSkewSeconds, 0, 3600),
      requiredEku: Object.freeze([...(validation.requiredEku ?? DEFAULTS.requiredEku)]),
      maxPathLength: count('validation.maxPathLength', validation.maxPathLength, DEFAULTS.maxPathLength, 2, 16),
      minRsaBits,
      maxRsaBits: count('validation.maxRsaBits', validation.maxRsaBits, Math.max(DEFAULTS.maxRsaBits, minRsaBits), minRsaBits, 16384),
      certificatePolicies: validation.certificatePolicies ? Object.freeze({ ...validation.certificatePolicies }) : undefined,
      signatureThreadPool: flag('validation.signatureThreadPool', validation.signatureThreadPool, DEFAULTS.signatureThreadPool),
    }),
    revocation: Object.freeze({ ...options.revocation, mode }),
    spiffe: resolveSpiffeOptions(options.spiffe, trustStore),
    limits: Object.freeze({
      maxHeaderBytes: count('limits.maxHeaderBytes', options.limits?.maxHeaderBytes, DEFAULTS.maxHeaderBytes, 1024, 1024 * 1024),
      maxCertificates: count('limits.maxCertificates', options.limits?.maxCertificates, DEFAULTS.maxCertificates, 1, 32),
    }),
    cache: Object.freeze({
      maxEntries: count('cache.maxEntries', options.cache?.maxEntries, DEFAULTS.cacheMaxEntries, 0, 10_000_000),
      maxBytes: count('cache.maxBytes', options.cache?.maxBytes, DEFAULTS.cacheMaxBytes, 0, 2 ** 40),
      ttlSeconds: count('cache.ttlSeconds', options.cache?.ttlSeconds, DEFAULTS.cacheTtlSeconds, 1, 86_400),
      failureTtlSeconds: DEFAULTS.failureCacheSeconds,
    }),
    decisions: resolveDecisionLogOptions(options.decisions),
    metrics: resolveMetricsOptions(options.metrics),
    setupChecks: resolveSetupCheckOptions(options.setupChecks),
    responses: Object.freeze({ expectedHeaderHint: options.responses?.expectedHeaderHint ?? true }),
    boundTokens: resolveBoundTokenOptions(options.boundTokens),
  };
  return Object.freeze(resolved);
}

function count(option: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ClientCertOptionsError(option, `is ${String(value)}`, `Use a whole number from ${min} to ${max} (default ${fallback}).`);
  }
  return value;
}

function flag(option: string, value: boolean | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ClientCertOptionsError(option, `is ${String(value)}`, `Use true or false (default ${fallback}).`);
  return value;
}
