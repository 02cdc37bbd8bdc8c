import { headerMalformed } from './header.errors';

const HEX_64 = /^[0-9a-f]{64}$/;
const BASE64_SHA256 = /^[A-Za-z0-9+/]{43}=?$/;
const HEX_SERIAL = /^[0-9a-f]{1,128}$/;

/**
 * A SHA-256 fingerprint as a lower-case hex string, from hex (with or without `:`) or base64
 * (GCP `{client_cert_sha256_fingerprint}`). The two are told apart by length, never guessed.
 * @throws ClientCertError HEADER_MALFORMED
 */
export function normalizeSha256Claim(value: string, header: string): string {
  const text = value.trim();
  const hex = text.replace(/:/g, '').toLowerCase();
  if (HEX_64.test(hex)) return hex;
  if (BASE64_SHA256.test(text)) return Buffer.from(text, 'base64').toString('hex');
  throw headerMalformed(`${header} is not a SHA-256 fingerprint (hex or base64)`, { header });
}

/**
 * A serial number as lower-case hex without separators or leading zeros, so `00:1A` (ALB),
 * `1a` and the certificate's two's-complement `001a` compare equal.
 * @throws ClientCertError HEADER_MALFORMED
 */
export function normalizeSerialClaim(value: string, header: string): string {
  const hex = value
    .trim()
    .replace(/[:\s-]/g, '')
    .toLowerCase();
  if (!HEX_SERIAL.test(hex)) throw headerMalformed(`${header} is not a hex serial number`, { header });
  return hex.replace(/^0+(?=.)/, '');
}
