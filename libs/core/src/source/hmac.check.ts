import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { HmacOptions } from '../options/proxy-profile.options';
import type { RawHeaderReader } from '../header/raw-header.reader';
import { ReplayWindow } from './replay.window';

const MIN_KEY_LENGTH = 32;
const TIMESTAMP = /^\d{1,12}(\.\d{1,9})?$/;
const HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Why an HMAC was refused, for the log. */
export type HmacFailure = 'missing' | 'bad-timestamp' | 'clock-skew' | 'bad-mac' | 'replayed';

const sha256 = (bytes: Buffer): Buffer => createHash('sha256').update(bytes).digest();

/**
 * Verifies `HMAC(secret, timestamp + "\n" + certHeaderValue)` from the proxy, within a bounded
 * clock skew, each MAC once. Compared in constant time over SHA-256 digests, so a MAC of the
 * wrong length costs the same as a wrong MAC.
 */
export class HmacCheck {
  readonly header: string;
  readonly timestampHeader: string;
  private readonly keys: readonly Buffer[];
  private readonly algorithm: string;
  private readonly maxSkewMs: number;
  private readonly replays: ReplayWindow;

  /** @throws Error at bootstrap with the fix, for any bad option. */
  constructor(options: HmacOptions, profile: string, private readonly now: () => number = Date.now) {
    const where = `Proxy profile "${profile}": hmac`;
    if (typeof options.header !== 'string' || typeof options.timestampHeader !== 'string' || !options.header || !options.timestampHeader) {
      throw new Error(`${where}.header and hmac.timestampHeader must name the headers the proxy sets`);
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
    this.keys = options.secrets.map((secret) => Buffer.from(secret, 'utf8'));
    this.algorithm = algorithm;
    this.maxSkewMs = skew * 1000;
    this.replays = new ReplayWindow(capacity);
  }

  /** `undefined` when the MAC is valid and fresh; otherwise why it is not. */
  verify(reader: RawHeaderReader, certHeaderValue: string | undefined): HmacFailure | undefined {
    const mac = reader.single(this.header)?.trim();
    const timestamp = reader.single(this.timestampHeader)?.trim();
    if (!mac || !timestamp) return 'missing';
    if (!TIMESTAMP.test(timestamp)) return 'bad-timestamp';
    const at = Number(timestamp) * 1000;
    const now = this.now();
    if (Math.abs(now - at) > this.maxSkewMs) return 'clock-skew';
    const presented = HEX.test(mac) && mac.length % 2 === 0 ? Buffer.from(mac, 'hex') : BASE64.test(mac) ? Buffer.from(mac, 'base64') : undefined;
    if (!presented) return 'bad-mac';
    const presentedDigest = sha256(presented);
    const message = `${timestamp}\n${certHeaderValue ?? ''}`;
    let ok = false;
    for (const key of this.keys) {
      const expected = createHmac(this.algorithm, key).update(message, 'utf8').digest();
      ok = timingSafeEqual(presentedDigest, sha256(expected)) || ok;
    }
    if (!ok) return 'bad-mac';
    return this.replays.remember(presented.toString('base64'), at + this.maxSkewMs + 1, now) ? undefined : 'replayed';
  }
}
