/**
 * A copy made of flat strings of its own, never slices of (or trees over) another string: V8
 * makes strings of 13+ characters cut from a certificate's decoded text slices of that text, so
 * keeping one in a long-lived table would keep the whole text alive. A JSON round trip, exact for
 * any UTF-16, lone surrogates included.
 */
export function ownCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
