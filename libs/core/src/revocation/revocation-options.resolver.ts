import { ClientCertOptionsError } from '../options/options.error';
import type { RevocationMode, RevocationOptions } from '../options/revocation.options';

/** Revocation options with every default applied; frozen, resolved once at bootstrap. */
export interface ResolvedRevocationOptions {
  readonly mode: RevocationMode;
  readonly anchors: ReadonlyArray<{
    readonly fingerprintSha256?: string;
    readonly subject?: string;
    readonly mode?: RevocationMode;
    readonly ocspEnabled?: boolean;
    readonly crlEnabled?: boolean;
  }>;
  readonly clockSkewMs: number;
  readonly crl: {
    readonly enabled: boolean;
    readonly files: readonly string[];
    readonly urls: readonly string[];
    readonly useDistributionPoints: boolean;
    readonly maxDistributionPoints: number;
    readonly refreshIntervalMs: number;
    readonly refreshMarginMs: number;
    readonly retryIntervalMs: number;
    readonly fetchTimeoutMs: number;
    readonly maxBytes: number;
  };
  readonly ocsp: {
    readonly enabled: boolean;
    readonly responderUrl?: string;
    readonly timeoutMs: number;
    readonly nonce: boolean;
    readonly requireNonce: boolean;
    readonly maxResponseBytes: number;
    readonly maxAgeWithoutNextUpdateMs: number;
    readonly cache: { readonly maxEntries: number; readonly maxGoodMs: number; readonly goodWithoutNextUpdateMs: number; readonly revokedMs: number };
    readonly circuitBreaker: { readonly failureThreshold: number; readonly openMs: number };
  };
}

const MODES: readonly RevocationMode[] = ['off', 'soft-fail', 'hard-fail'];

/** Applies defaults and validates; a bad value stops start-up with a message naming the option. */
export function resolveRevocationOptions(options: RevocationOptions = {}): ResolvedRevocationOptions {
  const crl = options.crl ?? {};
  const ocsp = options.ocsp ?? {};
  const resolved: ResolvedRevocationOptions = {
    mode: mode(options.mode ?? 'soft-fail', 'revocation.mode'),
    anchors: (options.anchors ?? []).map((anchor, i) => {
      const name = `revocation.anchors[${i}]`;
      if (!anchor.fingerprintSha256 && !anchor.subject) throw configError(name, 'names no anchor', 'Set fingerprintSha256 or subject.');
      return Object.freeze({
        ...anchor,
        fingerprintSha256: anchor.fingerprintSha256?.replace(/:/g, '').toLowerCase(),
        mode: anchor.mode === undefined ? undefined : mode(anchor.mode, `${name}.mode`),
      });
    }),
    clockSkewMs: count(options.clockSkewSeconds ?? 60, 'revocation.clockSkewSeconds') * 1000,
    crl: {
      enabled: crl.enabled ?? true,
      files: [...(crl.files ?? [])],
      urls: (crl.urls ?? []).map((u, i) => httpUrl(u, `revocation.crl.urls[${i}]`)),
      useDistributionPoints: crl.useDistributionPoints ?? true,
      maxDistributionPoints: count(crl.maxDistributionPoints ?? 64, 'revocation.crl.maxDistributionPoints'),
      refreshIntervalMs: positive(crl.refreshIntervalMs ?? 3_600_000, 'revocation.crl.refreshIntervalMs'),
      refreshMarginMs: count(crl.refreshMarginMs ?? 300_000, 'revocation.crl.refreshMarginMs'),
      retryIntervalMs: positive(crl.retryIntervalMs ?? 60_000, 'revocation.crl.retryIntervalMs'),
      fetchTimeoutMs: positive(crl.fetchTimeoutMs ?? 5_000, 'revocation.crl.fetchTimeoutMs'),
      maxBytes: positive(crl.maxBytes ?? 20 * 1024 * 1024, 'revocation.crl.maxBytes'),
    },
    ocsp: {
      enabled: ocsp.enabled ?? true,
      responderUrl: ocsp.responderUrl === undefined ? undefined : httpUrl(ocsp.responderUrl, 'revocation.ocsp.responderUrl'),
      timeoutMs: positive(ocsp.timeoutMs ?? 2_000, 'revocation.ocsp.timeoutMs'),
      nonce: ocsp.nonce ?? false,
      requireNonce: ocsp.requireNonce ?? false,
      maxResponseBytes: positive(ocsp.maxResponseBytes ?? 65_536, 'revocation.ocsp.maxResponseBytes'),
      maxAgeWithoutNextUpdateMs: positive(ocsp.maxAgeWithoutNextUpdateMs ?? 3_600_000, 'revocation.ocsp.maxAgeWithoutNextUpdateMs'),
      cache: {
        maxEntries: positive(ocsp.cache?.maxEntries ?? 10_000, 'revocation.ocsp.cache.maxEntries'),
        maxGoodMs: count(ocsp.cache?.maxGoodMs ?? 3_600_000, 'revocation.ocsp.cache.maxGoodMs'),
        goodWithoutNextUpdateMs: count(ocsp.cache?.goodWithoutNextUpdateMs ?? 60_000, 'revocation.ocsp.cache.goodWithoutNextUpdateMs'),
        revokedMs: count(ocsp.cache?.revokedMs ?? 86_400_000, 'revocation.ocsp.cache.revokedMs'),
      },
      circuitBreaker: {
        failureThreshold: positive(ocsp.circuitBreaker?.failureThreshold ?? 3, 'revocation.ocsp.circuitBreaker.failureThreshold'),
        openMs: positive(ocsp.circuitBreaker?.openMs ?? 30_000, 'revocation.ocsp.circuitBreaker.openMs'),
      },
    },
  };
  if (resolved.ocsp.requireNonce && !resolved.ocsp.nonce) {
    throw configError('revocation.ocsp.requireNonce', 'is true while nonce is off', 'Set revocation.ocsp.nonce: true too.');
  }
  return deepFreeze(resolved);
}

function mode(value: string, name: string): RevocationMode {
  if (!MODES.includes(value as RevocationMode)) throw configError(name, `is '${String(value)}'`, `Use one of ${MODES.join(', ')}.`);
  return value as RevocationMode;
}

function count(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) throw configError(name, `is ${value}`, 'Use a number >= 0.');
  return value;
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) throw configError(name, `is ${value}`, 'Use a number > 0.');
  return value;
}

function httpUrl(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw configError(name, `is '${value}'`, 'Use an http:// or https:// URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw configError(name, `is '${value}'`, 'Use an http:// or https:// URL.');
  return value;
}

function configError(option: string, problem: string, fix: string): Error {
  return new ClientCertOptionsError(option, problem, fix);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
