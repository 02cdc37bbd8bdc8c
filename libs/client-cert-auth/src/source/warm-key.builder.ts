import type { ForwardedRequest } from '../header/forwarded-request';
import { parseAddress } from './address-range.matcher';
import type { CompiledProxyProfile } from './proxy-profile.compiler';

/** Peer addresses remembered (they are the proxies: few). Cleared when full, never grows past it. */
const MAX_ADDRESSES = 1024;
const NONE = -1;
/** Of a long header value (a certificate) only the tail is hashed: it ends in its signature. */
const TAIL = 24;

/**
 * A request's warm-path identity. `key` (profile, peer, and a hash of every watched header's
 * length and tail) is cheap to build and picks the entry; `headers` (every watched
 * header in full, in order, as references to the request's own strings) must then equal the
 * entry's (`sameHeaders`), so only an exact repeat is a hit. No per-request digest or copy of a
 * certificate: a SHA-256 of the headers, or a Map hash of a whole certificate, costs ~0.9 µs,
 * most of the warm path's budget.
 */
export interface WarmKey {
  readonly key: string;
  /** `[name, value, name, value, ...]`, lower-case names. */
  readonly headers: readonly string[];
}

/** Exact comparison of two `WarmKey.headers`. */
export function sameHeaders(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

interface WarmProfile {
  readonly name: string;
  /** Every header the profile reads, lower-case. */
  readonly watched: ReadonlySet<string>;
  /** Numbered chain headers (`<prefix>N`): any N counts, also past the cap the parser refuses. */
  readonly chainPrefix?: string;
}

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
  /** remoteAddress -> index of the profile it resolves to, or NONE (no warm path). */
  private readonly byAddress = new Map<string, number>();

  constructor(private readonly compiled: readonly CompiledProxyProfile[]) {
    this.profiles = compiled.map((profile) =>
      profile.source.trustedHops > 0 || profile.sharedSecret || profile.hmac
        ? undefined
        : { name: profile.name, watched: new Set(profile.watchedNames), chainPrefix: profile.headers.chainPrefix },
    );
  }

  /** `undefined` means "use the slow path" (which also gives every refusal its proper error). */
  keyFor(request: ForwardedRequest): WarmKey | undefined {
    const address = request.remoteAddress;
    if (!address) return undefined;
    let index = this.byAddress.get(address);
    if (index === undefined) index = this.remember(address);
    if (index === NONE) return undefined;
    const profile = this.profiles[index]!;
    const raw = request.rawHeaders;
    const headers: string[] = [];
    let hash = FNV_OFFSET;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = raw[i].toLowerCase();
      if (!profile.watched.has(name) && !(profile.chainPrefix !== undefined && name.startsWith(profile.chainPrefix))) continue;
      const value = raw[i + 1];
      headers.push(name, value);
      // Names are compared in `headers`; the hash only spreads keys (a collision costs a miss, never a wrong hit).
      hash = fnv(Math.imul(hash ^ value.length, FNV_PRIME), value, value.length - TAIL);
    }
    // No certificate header at all: the slow path answers CERT_MISSING.
    return headers.length === 0 ? undefined : { key: `${index}\0${address}\0${hash & 0x3fffffff}`, headers };
  }

  private remember(address: string): number {
    if (this.byAddress.size >= MAX_ADDRESSES) this.byAddress.clear();
    const index = this.resolve(address);
    this.byAddress.set(address, index);
    return index;
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

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over `text` from `from` (clamped to 0): a number, never a slice that would keep the text alive. */
function fnv(hash: number, text: string, from: number): number {
  for (let i = from > 0 ? from : 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash;
}
