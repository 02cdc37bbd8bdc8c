/**
 * Minimal hand-built DER encoder (X.690) and TLV reader: just the pieces a TBSCertificate needs.
 * Hand-built rather than node-forge's asn1 so everything stays a Buffer (forge works on binary strings)
 * and so tests can produce deliberately odd encodings byte for byte.
 */

/** Encodes a DER length: short form below 128, long form otherwise. */
export function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** Wraps contents in a tag + length. */
export function tlv(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

export const sequence = (...items: Buffer[]): Buffer => tlv(0x30, ...items);

/** SET OF: DER requires the elements sorted by their encodings. */
export const setOf = (...items: Buffer[]): Buffer => tlv(0x31, ...[...items].sort(Buffer.compare));

export const derNull = (): Buffer => Buffer.from([0x05, 0x00]);
export const derBoolean = (value: boolean): Buffer => Buffer.from([0x01, 0x01, value ? 0xff : 0x00]);
export const octetString = (value: Buffer): Buffer => tlv(0x04, value);
export const utf8String = (value: string): Buffer => tlv(0x0c, Buffer.from(value, 'utf8'));
export const printableString = (value: string): Buffer => tlv(0x13, Buffer.from(value, 'latin1'));
export const ia5String = (value: string): Buffer => tlv(0x16, Buffer.from(value, 'latin1'));

/** BIT STRING with an explicit count of unused bits in the last byte. */
export const bitString = (value: Buffer, unusedBits = 0): Buffer => tlv(0x03, Buffer.from([unusedBits]), value);

/** [n] EXPLICIT: a constructed context tag around a complete TLV. */
export const explicit = (n: number, inner: Buffer): Buffer => tlv(0xa0 | n, inner);

/** [n] IMPLICIT primitive: a context tag in place of the universal one, contents given raw. */
export const implicitPrimitive = (n: number, contents: Buffer): Buffer => tlv(0x80 | n, contents);

/** [n] IMPLICIT constructed (e.g. a SEQUENCE OF retagged): contents are the concatenated elements. */
export const implicitConstructed = (n: number, ...contents: Buffer[]): Buffer => tlv(0xa0 | n, ...contents);

/**
 * Positive INTEGER from big-endian magnitude bytes: strips redundant leading zeros and prepends 0x00
 * when the high bit is set, so the value is never read as negative.
 */
export function unsignedInteger(magnitude: Buffer): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  let bytes = magnitude.subarray(start);
  if (bytes.length === 0) bytes = Buffer.from([0]);
  if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

/** Non-negative INTEGER from a JS number (versions, pathLen, salt lengths). */
export function smallInteger(value: number): Buffer {
  const hex = value.toString(16);
  return unsignedInteger(Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex'));
}

/** OBJECT IDENTIFIER from dotted form. */
export function objectIdentifier(dotted: string): Buffer {
  if (!/^[0-2](\.\d+)+$/.test(dotted)) throw new TypeError(`dev-pki: not a dotted OID: '${dotted}'`);
  const arcs = dotted.split('.').map((a) => BigInt(a));
  const values = [arcs[0] * 40n + arcs[1], ...arcs.slice(2)];
  const bytes: number[] = [];
  for (const value of values) {
    const chunk: number[] = [Number(value & 0x7fn)];
    for (let v = value >> 7n; v > 0n; v >>= 7n) chunk.unshift(Number(v & 0x7fn) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime for 1950–2049, GeneralizedTime otherwise (RFC 5280 §4.1.2.5); seconds precision, Zulu. */
export function derTime(date: Date): Buffer {
  if (Number.isNaN(date.getTime())) throw new TypeError('dev-pki: invalid Date for certificate validity');
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14); // YYYYMMDDHHMMSS
  const year = date.getUTCFullYear();
  return year >= 1950 && year < 2050 ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`, 'ascii')) : tlv(0x18, Buffer.from(`${iso}Z`, 'ascii'));
}

/** One decoded TLV: `start`/`end` bound the contents; `offset` is where the tag byte sits. */
export interface DerElement {
  tag: number;
  offset: number;
  start: number;
  end: number;
}

/** Reads the TLV at `offset` (single-byte tags only — enough for certificates). */
export function readTlv(buf: Buffer, offset = 0): DerElement {
  const tag = buf[offset];
  let length = buf[offset + 1];
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + buf[start + i];
    start += count;
  }
  if (tag === undefined || start + length > buf.length) throw new RangeError('dev-pki: truncated DER');
  return { tag, offset, start, end: start + length };
}

/** The children of a constructed element. */
export function readChildren(buf: Buffer, parent: DerElement): DerElement[] {
  const out: DerElement[] = [];
  for (let at = parent.start; at < parent.end; at = out[out.length - 1].end) out.push(readTlv(buf, at));
  return out;
}
