import { headerMalformed } from '../header.errors';

/** Standard alphabet only; padding optional but never in the middle. */
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Decodes standard base64 strictly. `Buffer.from(x, 'base64')` silently skips characters outside
 * the alphabet, so a value with junk in it would decode to *some* bytes: here it is refused.
 *
 * @throws ClientCertError HEADER_MALFORMED on any character outside the alphabet or a bad length.
 */
export function decodeBase64Strict(text: string, what: string): Buffer {
  const unpadded = text.replace(/=+$/, '');
  const padding = text.length - unpadded.length;
  if (!BASE64.test(text) || unpadded.length % 4 === 1 || (padding > 0 && text.length % 4 !== 0)) {
    throw headerMalformed(`${what} is not valid base64`, { length: text.length });
  }
  return Buffer.from(text, 'base64');
}
