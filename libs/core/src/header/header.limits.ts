import { headerMalformed } from './header.errors';

/** Caps checked before any decoding, so a huge or crafted header costs almost nothing. */
export interface HeaderLimitValues {
  /** @default 65536 */
  readonly maxHeaderBytes: number;
  /** @default 10 */
  readonly maxCertificates: number;
}

export const DEFAULT_HEADER_LIMITS: HeaderLimitValues = Object.freeze({ maxHeaderBytes: 65536, maxCertificates: 10 });

/**
 * Fails with HEADER_MALFORMED when the certificate headers together are longer than allowed.
 * Values are ASCII when valid, so `length` is the byte count; non-ASCII only makes it larger.
 */
export function assertWithinBytes(values: ReadonlyArray<string | undefined>, limits: HeaderLimitValues): void {
  let total = 0;
  for (const value of values) total += value?.length ?? 0;
  if (total > limits.maxHeaderBytes) {
    throw headerMalformed(
      `Certificate headers are ${total} bytes, more than the limit of ${limits.maxHeaderBytes}; raise limits.maxHeaderBytes if the chain is legitimately this long`,
      { bytes: total, limit: limits.maxHeaderBytes },
    );
  }
}

/** Fails with HEADER_MALFORMED when a request carries more certificates than allowed. */
export function assertCertificateCount(count: number, maxCertificates: number): void {
  if (count > maxCertificates) {
    throw headerMalformed(`Request carries ${count} or more certificates, more than the limit of ${maxCertificates}`, { count, limit: maxCertificates });
  }
}
