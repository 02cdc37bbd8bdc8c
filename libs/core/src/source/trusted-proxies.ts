import { ClientCertErrorCode } from '../errors/client-cert-error-code';
import { ClientCertError } from '../errors/client-cert.error';
import type { ForwardedRequest } from '../header/forwarded-request';
import { extractCertificateHeaders, type ExtractedCertificate } from '../header/header-profile.extractor';
import { DEFAULT_HEADER_LIMITS, type HeaderLimitValues } from '../header/header.limits';
import { assertHeaderLinesComplete } from '../header/header-lines.check';
import { RawHeaderReader } from '../header/raw-header.reader';
import { isHeaderProfile, isTlsProfile, type ClientCertProfileOptions } from '../options/tls-profile.options';
import type { NonceClaim } from './hmac.check';
import { compileProxyProfile, type CompiledProxyProfile } from './proxy-profile.compiler';
import type { ReplayStore } from './replay.store';
import { resolveSourceAddress } from './source-address.resolver';
import { TlsListeners } from './tls-listeners';
import { WarmKeyBuilder, type WarmKey } from './warm-key.builder';

export type { ExtractedCertificate } from '../header/header-profile.extractor';
export type { WarmKey } from './warm-key.builder';

function untrusted(message: string, details: Record<string, unknown>): ClientCertError {
  return new ClientCertError(ClientCertErrorCode.SOURCE_UNTRUSTED, message, details);
}

/** A nonce seen before: the request is a replay of one already accepted. */
function refuseReplay(profile: CompiledProxyProfile, fresh: boolean): void {
  if (!fresh) {
    throw untrusted(`HMAC header ${profile.hmac!.header} refused: replayed (nonce already used)`, { profile: profile.name, reason: 'replayed' });
  }
}

/**
 * A hop in `hopsFrom` only passes requests on (and appends to X-Forwarded-For); it neither strips
 * nor sets certificate headers. If a profile's `from` also holds it, a client that reaches that
 * hop directly is read through that profile with headers it wrote itself: refused at start-up
 * (whatever the profile order), since no order of trying profiles makes that setup safe.
 * @throws Error naming both profiles and the overlapping entries.
 */
function refuseHopsThatAreProxies(profiles: readonly CompiledProxyProfile[]): void {
  for (const hops of profiles) {
    if (!hops.source.hopsFrom) continue;
    for (const proxy of profiles) {
      const shared = proxy.from.overlaps(hops.source.hopsFrom);
      if (shared.length === 0) continue;
      throw new Error(
        `Proxy profile "${proxy.name}" trusts ${shared.join(', ')} in "from", which "${hops.name}" lists in "hopsFrom" ` +
          `(a hop that only passes requests on): a client reaching that hop directly would be read through "${proxy.name}" ` +
          'with certificate headers it wrote. Make "from" and "hopsFrom" disjoint; a hop that also terminates mTLS must ' +
          'strip and set the headers itself and then belongs in "from" of a profile of its own, not in "hopsFrom".',
      );
    }
  }
}

/**
 * Step 1 and 2 of the pipeline: decides which trusted proxy (if any) a request came through,
 * then reads the certificate the way that proxy sends it. A request on the port of a
 * `source: 'tls'` profile is that profile's alone: its certificate comes from the connection
 * (`TlsListeners`), and no header profile reads it, whatever its source address. Profiles are
 * compiled once here; a bad option throws an Error that says how to fix it. Profiles are tried in order; the first
 * whose source address matches is used. No profile's `from` may share an address with any
 * profile's `hopsFrom`, so a request refused by a trusted-hops profile never falls through to a
 * profile that would read it from the hop itself.
 *
 * @example
 * const proxies = new TrustedProxies([{ name: 'edge', from: ['10.0.0.0/8'], preset: 'nginx' }]);
 * const { certificate } = proxies.extract({ rawHeaders: req.rawHeaders, remoteAddress: req.socket.remoteAddress });
 */
export class TrustedProxies {
  /** All certificate header names any profile reads (lower-case), for logging spoof attempts and 401 hints. */
  readonly certificateHeaderNames: readonly string[];
  private readonly profiles: readonly CompiledProxyProfile[];
  private readonly warmKeys: WarmKeyBuilder;
  /** Absent without TLS profiles: header requests then never touch the socket. */
  private readonly tls?: TlsListeners;

  /**
   * @param replayStore where nonces of HMAC-signed requests are claimed by `admit`, shared by
   *   every instance; without it, each HMAC profile keeps its own in-process store.
   */
  constructor(
    profiles: ClientCertProfileOptions[],
    limits?: Partial<HeaderLimitValues>,
    now: () => number = Date.now,
    private readonly replayStore?: ReplayStore,
  ) {
    if (!Array.isArray(profiles) || profiles.length === 0) {
      throw new Error(
        'Configure at least one entry in "proxies": the proxy that forwards client certificates, e.g. { name: "waf", from: ["10.0.0.0/8"], preset: "nginx" }, or a TLS listener, e.g. { name: "direct", source: "tls", ports: [8443] }',
      );
    }
    for (const profile of profiles) {
      if (profile === null || typeof profile !== 'object') throw new Error('Each entry of "proxies" must be an object');
      const { source } = profile as { source?: unknown };
      if (source !== undefined && source !== 'header' && source !== 'tls') {
        throw new Error(`Proxy profile "${String(profile.name)}": source is ${JSON.stringify(source)}; use 'header' (the default) or 'tls'`);
      }
    }
    this.profiles = profiles.filter(isHeaderProfile).map((profile) => compileProxyProfile(profile, limits ?? {}, now));
    this.certificateHeaderNames = Object.freeze([...new Set(this.profiles.flatMap((p) => p.headers.parser.headerNames))]);
    const tlsProfiles = profiles.filter(isTlsProfile);
    if (tlsProfiles.length > 0) {
      this.tls = new TlsListeners(
        tlsProfiles,
        this.profiles.length,
        limits?.maxCertificates ?? DEFAULT_HEADER_LIMITS.maxCertificates,
        this.certificateHeaderNames,
      );
    }
    const names = profiles.map((p) => p.name);
    const duplicate = names.find((name, i) => names.indexOf(name) !== i);
    if (duplicate) throw new Error(`Two proxy profiles are named "${duplicate}"; give each a unique name`);
    refuseHopsThatAreProxies(this.profiles);
    this.warmKeys = new WarmKeyBuilder(this.profiles);
  }

  /**
   * Synchronous and cheap: the key under which the answer for this request may be cached, or
   * `undefined` when it must go through `extract` (no profile by peer address alone, a profile
   * with X-Forwarded-For hops, shared secret or HMAC, or no certificate header). Same key, same
   * extraction result; never a decision by itself.
   */
  warmKey(request: ForwardedRequest): WarmKey | undefined {
    if (this.tls?.profileFor(request)) return this.tls.warmKey(request);
    return this.warmKeys.keyFor(request);
  }

  /**
   * Steps 1 and 2, synchronously. The nonce of an HMAC-signed request is claimed in the profile's
   * in-process store only: with a shared `ReplayStore`, use `admit`.
   * Throws ClientCertError: SOURCE_UNTRUSTED (peer matches no profile, or shared secret/HMAC wrong
   * or replayed), CERT_MISSING, HEADER_MALFORMED (also: the header lines reached the server's
   * limit), PROXY_VERDICT_FAILED, REPLAY_CHECK_UNAVAILABLE. Details are for the log (never the full cert).
   */
  extract(request: ForwardedRequest): ExtractedCertificate {
    const direct = this.tls?.profileFor(request);
    if (direct) return this.tls!.extract(direct, request);
    const { profile, extracted, nonce } = this.read(request);
    if (nonce) refuseReplay(profile, profile.hmac!.replays.claimNow(nonce.key, nonce.expiresAt));
    return extracted;
  }

  /**
   * `extract`, with the nonce of an HMAC-signed request claimed in the shared `ReplayStore` when
   * one was given (every instance then accepts it once). A store that cannot answer refuses the
   * request: REPLAY_CHECK_UNAVAILABLE (503).
   */
  async admit(request: ForwardedRequest): Promise<ExtractedCertificate> {
    return this.admitMaybeAsync(request);
  }

  /**
   * `admit`, awaiting only the shared store's claim: without one the answer comes as it is and a
   * refusal is thrown synchronously, so the request pipeline spends no promise on this step.
   * @internal the authenticator's; use `admit`.
   */
  admitMaybeAsync(request: ForwardedRequest): ExtractedCertificate | Promise<ExtractedCertificate> {
    const direct = this.tls?.profileFor(request);
    if (direct) return this.tls!.extract(direct, request);
    const { profile, extracted, nonce } = this.read(request);
    if (!nonce) return extracted;
    if (!this.replayStore) {
      refuseReplay(profile, profile.hmac!.replays.claimNow(nonce.key, nonce.expiresAt));
      return extracted;
    }
    return this.claimShared(profile, extracted, nonce, this.replayStore);
  }

  private async claimShared(
    profile: CompiledProxyProfile,
    extracted: ExtractedCertificate,
    nonce: NonceClaim,
    replayStore: ReplayStore,
  ): Promise<ExtractedCertificate> {
    let fresh: boolean;
    try {
      fresh = await replayStore.claim(nonce.key, nonce.expiresAt);
    } catch (error) {
      if (error instanceof ClientCertError && error.code === 'REPLAY_CHECK_UNAVAILABLE') throw error;
      throw new ClientCertError('REPLAY_CHECK_UNAVAILABLE', 'the shared replay store cannot be reached; retry later', {
        profile: profile.name,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
    refuseReplay(profile, fresh);
    return extracted;
  }

  /** Source checks and header extraction; an HMAC's nonce is returned, not yet claimed. */
  private read(request: ForwardedRequest): { profile: CompiledProxyProfile; extracted: ExtractedCertificate; nonce?: NonceClaim } {
    // Before anything is read (X-Forwarded-For included): lines past Node's limit were dropped unseen.
    assertHeaderLinesComplete(request);
    const reader = new RawHeaderReader(request.rawHeaders);
    const profile = this.profiles.find((candidate) => {
      const address = resolveSourceAddress(candidate.source, request.remoteAddress, reader);
      return address !== undefined && candidate.from.contains(address);
    });
    if (!profile) {
      throw untrusted('Request did not come through a trusted proxy; certificate headers are ignored', {
        remoteAddress: request.remoteAddress ?? null,
        spoofedHeaders: [...this.certificateHeaderNames.filter((name) => reader.has(name)), ...reader.underscoreVariants(this.certificateHeaderNames)],
      });
    }
    if (profile.sharedSecret && !profile.sharedSecret.matches(reader)) {
      throw untrusted(`Shared-secret header ${profile.sharedSecret.header} is missing or wrong`, {
        profile: profile.name,
        remoteAddress: request.remoteAddress ?? null,
      });
    }
    let nonce: NonceClaim | undefined;
    if (profile.hmac) {
      const verdict = profile.hmac.verify(reader, request);
      if (typeof verdict === 'string') {
        throw untrusted(`HMAC header ${profile.hmac.header} refused: ${verdict}`, { profile: profile.name, reason: verdict });
      }
      nonce = verdict;
    }
    const extracted = this.extractFrom(profile, reader);
    const ignored = reader.underscoreVariants(profile.watchedNames);
    return { profile, extracted: ignored.length > 0 ? { ...extracted, ignoredHeaders: ignored } : extracted, nonce };
  }

  /** Header errors name the profile they came through, so logs and metrics can tell proxies apart. */
  private extractFrom(profile: CompiledProxyProfile, reader: RawHeaderReader): ExtractedCertificate {
    try {
      // Its underscore variants are listed by `read`, over this profile's wider set of names.
      return extractCertificateHeaders(profile.headers, reader);
    } catch (error) {
      if (error instanceof ClientCertError && error.details.profile === undefined) {
        throw new ClientCertError(error.code, error.message, { ...error.details, profile: profile.name });
      }
      throw error;
    }
  }
}
