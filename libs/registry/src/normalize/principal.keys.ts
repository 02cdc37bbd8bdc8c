import type { ClientCertPrincipal } from '@client-cert-auth/core';
import type { BindingKind } from '@client-cert-auth/core';
import { normalizeDn } from './dn.normalizer';
import { issuerSerialKey, normalizeDnsName, normalizeEmail, normalizeSerial } from './binding-value.normalizer';

/** One `(kind, value)` pair a principal could be bound by. */
export interface BindingKey {
  readonly kind: BindingKind;
  readonly value: string;
}

/** Whether a table may hold keys of a kind: the key-presence index knows (`KeyPresenceIndex.mayHoldKind`). */
export interface KindFilter {
  mayHoldKind(kind: string): boolean;
}

/** Every kind may be held: no index, or not a current one. */
export const ALL_KINDS: KindFilter = { mayHoldKind: () => true };

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

function bindingKeysOf(principal: ClientCertPrincipal, issuerSerial: string | undefined, held: KindFilter = ALL_KINDS): BindingKey[] {
  const keys: BindingKey[] = [];
  if (held.mayHoldKind('fingerprint')) keys.push({ kind: 'fingerprint', value: principal.fingerprintSha256.toLowerCase() });
  if (held.mayHoldKind('spki')) keys.push({ kind: 'spki', value: principal.spkiSha256.toLowerCase() });
  // A DN our normalizer cannot read only loses the DN-based keys: the pins still match, and
  // nothing can match by a key we could not compute (fails closed, never open).
  if (issuerSerial !== undefined && held.mayHoldKind('issuer-serial')) keys.push({ kind: 'issuer-serial', value: issuerSerial });
  if (held.mayHoldKind('subject')) tryPush(keys, 'subject', () => normalizeDn(principal.subject));
  if (principal.spiffeId && held.mayHoldKind('spiffe')) keys.push({ kind: 'spiffe', value: principal.spiffeId });
  const { uri, dns, email } = principal.san;
  if (held.mayHoldKind('san-uri')) for (const value of uri) keys.push({ kind: 'san-uri', value });
  if (held.mayHoldKind('san-dns')) for (const value of dns) keys.push({ kind: 'san-dns', value: normalizeDnsName(value) });
  if (held.mayHoldKind('san-email')) for (const value of email) keys.push({ kind: 'san-email', value: normalizeEmail(value) });
  // Every other kind yields one key at most: only a SAN list of several values can repeat one.
  return uri.length > 1 || dns.length > 1 || email.length > 1 ? withoutDuplicates(keys) : keys;
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
 * `scopeOf` with the issuer DN normalized and the two sets built on first use: only a candidate
 * scoped by an issuer DN reads the one, by a CA key or certificate the others, and most lookups
 * find no candidate, or unscoped ones. A class, not an object literal with getters: V8 builds
 * such a literal on its slow path (~1.8 µs each, once per never-seen certificate; ~0.05 µs for
 * this class).
 */
class LazyScope implements PrincipalScope {
  private sets?: PrincipalScope;

  /** @param normalizedIssuer the issuer DN normalized already (or UNPARSABLE), `undefined` when not computed yet. */
  constructor(
    private readonly principal: ClientCertPrincipal,
    private normalizedIssuer: string | undefined,
  ) {}

  get issuer(): string {
    return (this.normalizedIssuer ??= safeNormalizeDn(this.principal.issuer));
  }

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

/** The keys a principal is looked up by, and its scope facts. */
export interface LookupKeys {
  readonly bindingKeys: readonly BindingKey[];
  /** The deny-list keys (`denyKeys`), or the fingerprint alone when the issuer cannot be normalized. */
  readonly denyKeys: readonly BindingKey[];
  readonly scope: PrincipalScope;
}

/** Everything the registry needs to look a principal up, computed once per principal object. */
export interface PrincipalLookup extends LookupKeys {
  /** The CA certificates the principal was validated with (their fingerprints), one shared string per distinct chain. */
  readonly chainKey: string;
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

/** The CA certificates `principal` was validated with, as one shared string (`PrincipalLookup.chainKey`). */
export function chainKeyOf(principal: ClientCertPrincipal): string {
  const chain = principal.chainFingerprints;
  return chain.length <= 1 ? '' : sharedChainKey(chain.slice(1).join(','));
}

/**
 * The lookup keys of `principal` of the kinds the two tables may hold (every kind by default):
 * a key of a kind a table holds none of cannot match there, so it is not computed at all. With
 * the key-presence index current, a registry binding only SAN URIs and fingerprints normalizes
 * no DN for a never-seen certificate. Filtering by kind drops exactly the keys the index's
 * `present` would drop afterwards, so the answer is the same; an index that is not current
 * (stale after any write, being built, over its cap, bus down) means ALL_KINDS.
 */
export function lookupKeysOf(principal: ClientCertPrincipal, bindings: KindFilter = ALL_KINDS, denied: KindFilter = ALL_KINDS): LookupKeys {
  const issuerSerialHeld = bindings.mayHoldKind('issuer-serial') || denied.mayHoldKind('issuer-serial');
  const issuer = issuerSerialHeld ? attempt(() => normalizeDn(principal.issuer)) : undefined;
  const serial = issuer !== undefined ? attempt(() => normalizeSerial(principal.serialNumber)) : undefined;
  const issuerSerial = issuer !== undefined && serial !== undefined ? `${issuer}|${serial}` : undefined;
  const deny: BindingKey[] = [];
  if (denied.mayHoldKind('fingerprint')) deny.push({ kind: 'fingerprint', value: principal.fingerprintSha256.toLowerCase() });
  if (issuerSerial !== undefined && denied.mayHoldKind('issuer-serial')) deny.push({ kind: 'issuer-serial', value: issuerSerial });
  return {
    bindingKeys: bindingKeysOf(principal, issuerSerial, bindings),
    denyKeys: deny,
    // Not normalized yet when no issuer-serial key was wanted: then only an issuer-DN-scoped candidate does it.
    scope: new LazyScope(principal, issuerSerialHeld ? (issuer ?? UNPARSABLE) : undefined),
  };
}

/**
 * Principals are immutable and handed to `isDenied` and then `resolve` as the same object, so
 * keys are derived once per principal: the issuer DN is normalized once for the issuer+serial
 * key, the deny keys and the scope. Only the most recent principals are remembered: a WeakMap
 * kept every lookup alive as long as the core's caches keep its principal (heap growth over
 * 100,000 certificates 40.0 MB with it, 26.0 MB without, `BENCH_ONLY=memory npm run bench`
 * back to back); a principal the caches serve again only derives its keys again. `lookup`, one
 * call per certificate, uses `lookupKeysOf` directly.
 */
const RECENT_LOOKUPS = 1024;
const lookups = new Map<ClientCertPrincipal, PrincipalLookup>();

export function principalLookup(principal: ClientCertPrincipal): PrincipalLookup {
  let lookup = lookups.get(principal);
  if (lookup === undefined) {
    const { bindingKeys, denyKeys, scope } = lookupKeysOf(principal);
    lookup = { chainKey: chainKeyOf(principal), bindingKeys, denyKeys, scope };
    // Map order is insertion order: the first key is the oldest.
    if (lookups.size >= RECENT_LOOKUPS) lookups.delete(lookups.keys().next().value!);
    lookups.set(principal, lookup);
  }
  return lookup;
}
