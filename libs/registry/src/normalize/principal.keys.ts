import type { ClientCertPrincipal } from '@client-cert-auth/core';
import type { BindingKind } from '@client-cert-auth/core';
import { normalizeDn } from './dn.normalizer';
import { issuerSerialKey, normalizeDnsName, normalizeEmail, normalizeSerial } from './binding-value.normalizer';

/** One `(kind, value)` pair a principal could be bound by. */
export interface BindingKey {
  readonly kind: BindingKind;
  readonly value: string;
}

/** What issuer scopes a principal satisfies: its issuer DN, the CA certificates of its path, the keys of its issuer and anchor. */
export interface PrincipalScope {
  readonly issuer: string;
  readonly caFingerprints: ReadonlySet<string>;
  /** SPKI SHA-256 of the issuing CA and of the trust anchor. */
  readonly caKeys: ReadonlySet<string>;
}

/**
 * Every binding key a principal could match, in normalized form, so one `IN (...)` query finds
 * all candidate bindings at once. Duplicates are removed; order is irrelevant to the query.
 */
export function principalBindingKeys(principal: ClientCertPrincipal): BindingKey[] {
  return bindingKeysOf(
    principal,
    attempt(() => issuerSerialKey(principal.issuer, principal.serialNumber)),
  );
}

function bindingKeysOf(principal: ClientCertPrincipal, issuerSerial: string | undefined): BindingKey[] {
  const keys: BindingKey[] = [
    { kind: 'fingerprint', value: principal.fingerprintSha256.toLowerCase() },
    { kind: 'spki', value: principal.spkiSha256.toLowerCase() },
  ];
  // A DN our normalizer cannot read only loses the DN-based keys: the pins still match, and
  // nothing can match by a key we could not compute (fails closed, never open).
  if (issuerSerial !== undefined) keys.push({ kind: 'issuer-serial', value: issuerSerial });
  tryPush(keys, 'subject', () => normalizeDn(principal.subject));
  if (principal.spiffeId) keys.push({ kind: 'spiffe', value: principal.spiffeId });
  for (const uri of principal.san.uri) keys.push({ kind: 'san-uri', value: uri });
  for (const dns of principal.san.dns) keys.push({ kind: 'san-dns', value: normalizeDnsName(dns) });
  for (const email of principal.san.email) keys.push({ kind: 'san-email', value: normalizeEmail(email) });
  return withoutDuplicates(keys);
}

/** Keys in first-seen order, each once; a few keys are compared directly, many through a Set. */
function withoutDuplicates(keys: BindingKey[]): BindingKey[] {
  if (keys.length <= 16) return keys.filter((k, i) => keys.findIndex((o) => o.kind === k.kind && o.value === k.value) === i);
  const seen = new Set<string>();
  return keys.filter((k) => {
    const id = `${k.kind}\u0000${k.value}`;
    return seen.has(id) ? false : (seen.add(id), true);
  });
}

/** `value()`, or `undefined` when it throws (an unreadable DN or serial). */
function attempt(value: () => string): string | undefined {
  try {
    return value();
  } catch {
    return undefined;
  }
}

function tryPush(keys: BindingKey[], kind: BindingKind, value: () => string): void {
  try {
    keys.push({ kind, value: value() });
  } catch {
    /* see principalBindingKeys */
  }
}

/** The scope facts of a principal; CA fingerprints exclude the leaf itself. */
export function principalScope(principal: ClientCertPrincipal): PrincipalScope {
  return scopeOf(principal, safeNormalizeDn(principal.issuer));
}

function scopeOf(principal: ClientCertPrincipal, issuer: string): PrincipalScope {
  return {
    issuer,
    caFingerprints: new Set(principal.chainFingerprints.slice(1).map((f) => f.toLowerCase())),
    caKeys: new Set([principal.issuerSpkiSha256, principal.anchorSpkiSha256].filter((k) => typeof k === 'string').map((k) => k.toLowerCase())),
  };
}

/**
 * `scopeOf` with the two sets built on first use: only a candidate scoped by a CA key or
 * certificate reads them, and most lookups find no candidate, or unscoped ones. A class, not an
 * object literal with getters: V8 builds such a literal on its slow path (~1.8 µs each, once
 * per never-seen certificate; ~0.05 µs for this class).
 */
class LazyScope implements PrincipalScope {
  private sets?: PrincipalScope;

  constructor(
    private readonly principal: ClientCertPrincipal,
    readonly issuer: string,
  ) {}

  get caFingerprints(): ReadonlySet<string> {
    return this.full().caFingerprints;
  }

  get caKeys(): ReadonlySet<string> {
    return this.full().caKeys;
  }

  private full(): PrincipalScope {
    return (this.sets ??= scopeOf(this.principal, this.issuer));
  }
}

/** The deny-list keys of a certificate: its fingerprint and its issuer+serial. */
export function denyKeys(cert: { fingerprintSha256: string; issuer: string; serialNumber: string }): BindingKey[] {
  return [
    { kind: 'fingerprint', value: cert.fingerprintSha256.toLowerCase() },
    { kind: 'issuer-serial', value: `${normalizeDn(cert.issuer)}|${normalizeSerial(cert.serialNumber)}` },
  ];
}

/** The scope issuer of a principal whose issuer DN cannot be normalized: matches no stored scope. */
const UNPARSABLE = '\u0000unparsable';

function safeNormalizeDn(dn: string): string {
  try {
    return normalizeDn(dn);
  } catch {
    return UNPARSABLE;
  }
}

/** Everything the registry needs to look a principal up, computed once per principal object. */
export interface PrincipalLookup {
  /** The CA certificates the principal was validated with (their fingerprints), one shared string per distinct chain. */
  readonly chainKey: string;
  readonly bindingKeys: readonly BindingKey[];
  /** The deny-list keys (`denyKeys`), or the fingerprint alone when the issuer cannot be normalized. */
  readonly denyKeys: readonly BindingKey[];
  readonly scope: PrincipalScope;
}

/** Distinct chains are few (one per intermediate, cross-signatures aside): cached answers share one string each. */
const MAX_CHAIN_KEYS = 1024;
const chainKeys = new Map<string, string>();

function sharedChainKey(key: string): string {
  const known = chainKeys.get(key);
  if (known !== undefined) return known;
  if (chainKeys.size >= MAX_CHAIN_KEYS) chainKeys.clear();
  chainKeys.set(key, key);
  return key;
}

/**
 * Principals are immutable and handed to `isDenied` and then `resolve` as the same object, so
 * keys are derived once per principal: the issuer DN is normalized once for the issuer+serial
 * key, the deny keys and the scope. Only the most recent principals are remembered: a WeakMap
 * kept every lookup alive as long as the core's caches keep its principal (heap growth over
 * 100,000 certificates 40.0 MB with it, 26.0 MB without, `BENCH_ONLY=memory npm run bench`
 * back to back); a principal the caches serve again only derives its keys again.
 */
const RECENT_LOOKUPS = 1024;
const lookups = new Map<ClientCertPrincipal, PrincipalLookup>();

export function principalLookup(principal: ClientCertPrincipal): PrincipalLookup {
  let lookup = lookups.get(principal);
  if (lookup === undefined) {
    const issuer = attempt(() => normalizeDn(principal.issuer));
    const serial = attempt(() => normalizeSerial(principal.serialNumber));
    const issuerSerial = issuer !== undefined && serial !== undefined ? `${issuer}|${serial}` : undefined;
    const fingerprint: BindingKey = { kind: 'fingerprint', value: principal.fingerprintSha256.toLowerCase() };
    lookup = {
      chainKey: sharedChainKey(principal.chainFingerprints.slice(1).join(',')),
      bindingKeys: bindingKeysOf(principal, issuerSerial),
      denyKeys: issuerSerial === undefined ? [fingerprint] : [fingerprint, { kind: 'issuer-serial', value: issuerSerial }],
      scope: new LazyScope(principal, issuer ?? UNPARSABLE),
    };
    // Map order is insertion order: the first key is the oldest.
    if (lookups.size >= RECENT_LOOKUPS) lookups.delete(lookups.keys().next().value!);
    lookups.set(principal, lookup);
  }
  return lookup;
}
