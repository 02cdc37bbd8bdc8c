import { headerMalformed } from '../header.errors';

/**
 * Decodes `%XX` escapes and nothing else: `+` stays `+`. Form decoding (`URLSearchParams`)
 * turns `+` into a space, which corrupts base64 in a PEM that AWS ALB leaves half-encoded.
 * The result is treated as latin1 text; a valid PEM is plain ASCII anyway.
 *
 * @throws ClientCertError HEADER_MALFORMED on a `%` not followed by two hex digits.
 */
export function decodePercentEscapes(text: string, what: string): string {
  if (!text.includes('%')) return text;
  return text.replace(/%([0-9A-Fa-f]{2})?/g, (_match, hex: string | undefined) => {
    if (hex === undefined) throw headerMalformed(`${what} has a "%" that is not followed by two hex digits`);
    return String.fromCharCode(parseInt(hex, 16));
  });
}
