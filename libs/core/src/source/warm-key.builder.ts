import type { ForwardedRequest } from '../header/forwarded-request';
import { headerLinesMayBeDropped } from '../header/header-lines.check';
import { parseAddress } from './address-range.matcher';
import type { CompiledProxyProfile } from './proxy-profile.compiler';

/** Peer addresses remembered (they are the proxies: few). Cleared when full, never grows past it. */
const MAX_ADDRESSES = 1024;
const NONE = -1;
/** Of a long header value (a certificate) only the tail is hashed: it ends in its signature. */
const TAIL = 24;

/**
 * A request's warm-path identity. `key` (a 30-bit hash of profile, peer, and every watched
 * header's length and tail) is cheap to build and picks the entry; the rest must then equal the
 * entry's (`sameWarmKey`), so only an exact repeat is a hit: a hash collision costs a miss, never
 * a wrong answer. No per-request digest, copy or concatenation of a certificate: a SHA-256 of the
 * headers, or a string key holding a whole certificate, costs ~0.9 µs, most of the warm path's budget.
 */
export interface WarmKey {
  /** A small integer, so the cache is a Map with integer keys (no string hashing per request). */
  readonly key: number;
  /** Index of the proxy profile the peer resolves to. */
  readonly profile: number;
  readonly address: string;
  /** `[name, value, name, value, ...]`, lower-case names: references to the request's own strings. */
  readonly headers: readonly string[];
}

/** Exact comparison of two keys' identities (profile, peer, every watched header in order). */
export function sameWarmKey(a: WarmKey, b: WarmKey): boolean {
  return a.key === b.key && a.profile === b.profile && a.address === b.address && sameHeaders(a.headers, b.headers);
}

/** Exact comparison of two `WarmKey.headers`. */
export function sameHeaders(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

interface WarmProfile {
  readonly name: string;
  /** Every header the profile reads, lower-case (a few: compared directly, no hashing). */
  readonly names: readonly string[];
  /** Numbered chain headers (`<prefix>N`): any N counts, also past the cap the parser refuses. */
  readonly chainPrefix?: string;
  /**
   * Bit n set: a watched name can be n characters long (n < 32; `mediumLengths` for 32-63,
   * `longNames` for longer). Most of a request's headers are ruled out by their length alone,
   * before any lower-casing: a real proxy sends ten or more headers, one or two of them
   * certificate headers. Two integers on the profile object, not a table elsewhere in memory.
   */
  readonly shortLengths: number;
  readonly mediumLengths: number;
  readonly longNames: boolean;
}

/** A peer address's warm-path profile and the key hash seeded with it (computed once per address). */
interface Peer {
  /** Index of the profile, or NONE (no warm path from this peer). */
  readonly index: number;
  readonly seed: number;
}

const NO_PEER: Peer = { index: NONE, seed: 0 };

/**
 * The key of a request's warm-path entry: which profile it came through, the peer address and
 * every header that profile reads. Two requests with the same key get the same answer
 * from the slow pipeline, as long as registry and revocation data are unchanged (the
 * authenticator checks those). Profiles whose answer depends on more than that get no key:
 * X-Forwarded-For hops (the address is in a header), a shared secret or an HMAC (checked per
 * request; an HMAC also depends on the time). A profile that cannot be decided from the peer
 * address alone also stops the search, so the profile order of `TrustedProxies` is kept.
 */
export class WarmKeyBuilder {
  private readonly profiles: ReadonlyArray<WarmProfile | undefined>;
  /** remoteAddress -> its profile and hash seed. */
  private readonly byAddress = new Map<string, Peer>();

  constructor(private readonly compiled: readonly CompiledProxyProfile[]) {
    this.profiles = compiled.map((profile) =>
      profile.source.trustedHops > 0 || profile.sharedSecret || profile.hmac
        ? undefined
        : {
            name: profile.name,
            names: profile.watchedNames,
            chainPrefix: profile.headers.chainPrefix,
            ...nameLengths(profile.watchedNames, profile.headers.chainPrefix),
          },
    );
  }

  /** `undefined` means "use the slow path" (which also gives every refusal its proper error). */
  keyFor(request: ForwardedRequest): WarmKey | undefined {
    const address = request.remoteAddress;
    if (!address) return undefined;
    const peer = this.byAddress.get(address) ?? this.remember(address);
    if (peer.index === NONE) return undefined;
    const profile = this.profiles[peer.index]!;
    // Lines past the server's limit may have been dropped: the slow path refuses the request.
    if (headerLinesMayBeDropped(request)) return undefined;
    const raw = request.rawHeaders;
    const headers: string[] = [];
    let hash = peer.seed;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = watchedName(profile, raw[i]);
      if (name === undefined) continue;
      const value = raw[i + 1];
      headers.push(name, value);
      // Names are compared in `headers`; the hash only spreads keys (a collision costs a miss, never a wrong hit).
      hash = fnv(Math.imul(hash ^ value.length, FNV_PRIME), value, value.length - TAIL);
    }
    // No certificate header at all: the slow path answers CERT_MISSING.
    // 30 bits: a small integer on every platform V8 runs on (Map lookups without boxing).
    return headers.length === 0 ? undefined : { key: hash & 0x3fffffff, profile: peer.index, address, headers };
  }

  private remember(address: string): Peer {
    if (this.byAddress.size >= MAX_ADDRESSES) this.byAddress.clear();
    const index = this.resolve(address);
    const peer = index === NONE ? NO_PEER : { index, seed: fnv(Math.imul(FNV_OFFSET ^ index, FNV_PRIME), address, 0) };
    this.byAddress.set(address, peer);
    return peer;
  }

  /** Same order and matching as `TrustedProxies.extract`, for profiles decided by the peer alone. */
  private resolve(address: string): number {
    const parsed = parseAddress(address);
    if (!parsed) return NONE;
    for (let i = 0; i < this.compiled.length; i++) {
      const profile = this.compiled[i];
      // With trusted hops the profile depends on X-Forwarded-For: cannot be decided here.
      if (profile.source.trustedHops > 0) return NONE;
      if (profile.from.contains(parsed)) return this.profiles[i] ? i : NONE;
    }
    return NONE;
  }
}

/** The lower-case name if `raw` is a header the profile reads; `undefined` for every other header. */
function watchedName(profile: WarmProfile, raw: string): string | undefined {
  const n = raw.length;
  if (n < 32 ? (profile.shortLengths & (1 << n)) === 0 : n < 64 ? (profile.mediumLengths & (1 << (n - 32))) === 0 : !profile.longNames) return undefined;
  // Proxies mostly send lower-case names already (HTTP/2 must): try the name as it came first.
  for (const name of profile.names) if (name === raw) return name;
  const lower = raw.toLowerCase();
  for (const name of profile.names) if (name === lower) return name;
  return profile.chainPrefix !== undefined && lower.startsWith(profile.chainPrefix) ? lower : undefined;
}

function nameLengths(names: readonly string[], chainPrefix: string | undefined): Pick<WarmProfile, 'shortLengths' | 'mediumLengths' | 'longNames'> {
  let shortLengths = 0;
  let mediumLengths = 0;
  let longNames = false;
  const add = (n: number) => {
    if (n < 32) shortLengths |= 1 << n;
    else if (n < 64) mediumLengths |= 1 << (n - 32);
    else longNames = true;
  };
  for (const name of names) add(name.length);
  // A chain header is the prefix plus any number: every length from the prefix's on.
  if (chainPrefix !== undefined) for (let n = chainPrefix.length; n <= 64; n++) add(n);
  return { shortLengths, mediumLengths, longNames };
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over `text` from `from` (clamped to 0): a number, never a slice that would keep the text alive. */
function fnv(hash: number, text: string, from: number): number {
  for (let i = from > 0 ? from : 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash;
}
