import { createHash, timingSafeEqual } from 'node:crypto';
import type { SharedSecretOptions } from '../options/proxy-profile.options';
import type { RawHeaderReader } from '../header/raw-header.reader';

const MIN_SECRET_LENGTH = 16;

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Compares a shared-secret header in constant time. Both sides are hashed first so that neither
 * the secret's length nor a common prefix leaks through timing; every configured secret is
 * compared (no early exit) so rotation does not leak which one matched.
 */
export class SharedSecretCheck {
  readonly header: string;
  private readonly digests: readonly Buffer[];

  /** @throws Error at bootstrap for a missing header or a short secret. */
  constructor(options: SharedSecretOptions, profile: string) {
    if (typeof options.header !== 'string' || options.header === '') {
      throw new Error(`Proxy profile "${profile}": sharedSecret.header must name the header the proxy sets`);
    }
    if (!Array.isArray(options.values) || options.values.length === 0 || options.values.some((v) => typeof v !== 'string' || v.length < MIN_SECRET_LENGTH)) {
      throw new Error(
        `Proxy profile "${profile}": sharedSecret.values must hold one or more secrets of at least ${MIN_SECRET_LENGTH} characters (e.g. \`openssl rand -hex 32\`)`,
      );
    }
    this.header = options.header.toLowerCase();
    this.digests = options.values.map(digest);
  }

  /** True when the header is present once and equals one of the secrets. Throws HEADER_MALFORMED when sent twice. */
  matches(reader: RawHeaderReader): boolean {
    const presented = reader.single(this.header);
    if (presented === undefined) return false;
    const presentedDigest = digest(presented);
    let ok = false;
    for (const expected of this.digests) ok = timingSafeEqual(presentedDigest, expected) || ok;
    return ok;
  }
}
