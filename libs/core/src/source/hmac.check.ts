import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { ForwardedRequest } from '../header/forwarded-request';
import type { RawHeaderReader } from '../header/raw-header.reader';
import type { HmacOptions } from '../options/proxy-profile.options';
import { buildHmacMessage, type HmacCoverage } from './hmac-message.builder';
import { MemoryReplayStore } from './memory-replay.store';

const MIN_KEY_LENGTH = 32;
const TIMESTAMP = /^\d{1,12}(\.\d{1,9})?$/;
/** A UUID (HAProxy `%[uuid]`), a unique-id, random hex or base64: long enough to be unguessable. */
const NONCE = /^[A-Za-z0-9+/=._:-]{16,128}$/;
const HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Why an HMAC was refused, for the log. */
export type HmacFailure = 'missing' | 'bad-timestamp' | 'bad-nonce' | 'no-request-line' | 'clock-skew' | 'bad-mac';

/** A valid MAC: its nonce, to be claimed in the replay store until `expiresAt`. */
export interface NonceClaim {
  /** `<profile>:<nonce>`: profile names hold no `:`, so two profiles' nonces never collide. */
  readonly key: string;
  readonly expiresAt: number;
}

const sha256 = (bytes: Buffer): Buffer => createHash('sha256').update(bytes).digest();

/**
 * Verifies the proxy's MAC over the request line, the timestamp, a per-request nonce and every
 * header the profile reads (`buildHmacMessage`), within a bounded clock skew. Compared in
 * constant time over SHA-256 digests, so a MAC of the wrong length costs the same as a wrong MAC.
 * Replays are detected by nonce, not by MAC: two requests in the same second for the same
 * certificate carry different nonces, and a nonce needs remembering only while its timestamp is
 * inside the skew window (after that the timestamp alone refuses it).
 */
export class HmacCheck {
  readonly header: string;
  readonly timestampHeader: string;
  readonly nonceHeader: string;
  /** The default, in-process replay store of this profile (used when no shared store is provided). */
  readonly replays: MemoryReplayStore;
  private readonly keys: readonly Buffer[];
  private readonly algorithm: string;
  private readonly maxSkewMs: number;

  /** @throws Error at bootstrap with the fix, for any bad option. */
  constructor(
    options: HmacOptions,
    private readonly profile: string,
    private readonly coverage: HmacCoverage,
    private readonly now: () => number = Date.now,
  ) {
    const where = `Proxy profile "${profile}": hmac`;
    const names = [options.header, options.timestampHeader, options.nonceHeader];
    if (names.some((name) => typeof name !== 'string' || name === '')) {
      throw new Error(
        `${where}.header, hmac.timestampHeader and hmac.nonceHeader must name the headers the proxy sets (the MAC, the time, a per-request nonce such as HAProxy's %[uuid]); see docs/PROXIES.md "HMAC-signed forwarding"`,
      );
    }
    if (new Set(names.map((n) => n.toLowerCase())).size !== 3 || names.some((n) => coverage.names.includes(n.toLowerCase()))) {
      throw new Error(`${where}: the MAC, timestamp and nonce headers must be three headers of their own, none of them a certificate, chain or verdict header`);
    }
    if (!Array.isArray(options.secrets) || options.secrets.length === 0 || options.secrets.some((s) => typeof s !== 'string' || s.length < MIN_KEY_LENGTH)) {
      throw new Error(`${where}.secrets must hold one or more keys of at least ${MIN_KEY_LENGTH} characters (e.g. \`openssl rand -hex 32\`)`);
    }
    const algorithm = options.algorithm ?? 'sha256';
    if (!['sha256', 'sha384', 'sha512'].includes(algorithm)) throw new Error(`${where}.algorithm must be sha256, sha384 or sha512`);
    const skew = options.maxSkewSeconds ?? 30;
    if (!Number.isFinite(skew) || skew <= 0 || skew > 600) throw new Error(`${where}.maxSkewSeconds must be between 0 and 600 (exclusive of 0)`);
    const capacity = options.replayCacheSize ?? 200_000;
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new Error(`${where}.replayCacheSize must be a positive integer`);
    this.header = options.header.toLowerCase();
    this.timestampHeader = options.timestampHeader.toLowerCase();
    this.nonceHeader = options.nonceHeader.toLowerCase();
    this.keys = options.secrets.map((secret) => Buffer.from(secret, 'utf8'));
    this.algorithm = algorithm;
    this.maxSkewMs = skew * 1000;
    this.replays = new MemoryReplayStore(capacity, now);
  }

  /**
   * The nonce to claim when the MAC is valid and fresh; otherwise why it is not. Does not claim
   * the nonce itself: the caller does, in the profile's own or the shared replay store.
   * @throws ClientCertError HEADER_MALFORMED when the MAC, timestamp or nonce header is sent twice.
   */
  verify(reader: RawHeaderReader, request: ForwardedRequest): NonceClaim | HmacFailure {
    const mac = reader.single(this.header)?.trim();
    const timestamp = reader.single(this.timestampHeader);
    const nonce = reader.single(this.nonceHeader);
    if (!mac || timestamp === undefined || nonce === undefined) return 'missing';
    if (!TIMESTAMP.test(timestamp)) return 'bad-timestamp';
    if (!NONCE.test(nonce)) return 'bad-nonce';
    const { method, target } = request;
    if (!method || !target) return 'no-request-line';
    const at = Number(timestamp) * 1000;
    if (Math.abs(this.now() - at) > this.maxSkewMs) return 'clock-skew';
    const presented = HEX.test(mac) && mac.length % 2 === 0 ? Buffer.from(mac, 'hex') : BASE64.test(mac) ? Buffer.from(mac, 'base64') : undefined;
    if (!presented) return 'bad-mac';
    const presentedDigest = sha256(presented);
    const message = buildHmacMessage({ method, target, timestamp, nonce }, this.coverage, request.rawHeaders);
    let ok = false;
    // Every key is tried (no early exit), so a rotation does not leak which one matched.
    for (const key of this.keys) {
      const expected = createHmac(this.algorithm, key).update(message, 'utf8').digest();
      ok = timingSafeEqual(presentedDigest, sha256(expected)) || ok;
    }
    if (!ok) return 'bad-mac';
    // Past this, the timestamp is out of the window and refuses the request by itself.
    return { key: `${this.profile}:${nonce}`, expiresAt: at + this.maxSkewMs + 1 };
  }
}
