import * as forge from 'node-forge';
import { ClientCertError } from '../errors/client-cert.error';

/** A decoded node-forge ASN.1 element (`value` is a binary string for primitives). */
export type Asn1 = forge.asn1.Asn1;

export const UNIVERSAL = 0x00;
export const CONTEXT = 0x80;
export const T = {
  BOOLEAN: 1,
  INTEGER: 2,
  BIT_STRING: 3,
  OCTET_STRING: 4,
  NULL: 5,
  OID: 6,
  UTF8: 12,
  SEQUENCE: 16,
  SET: 17,
  UTC_TIME: 23,
  GENERALIZED_TIME: 24,
} as const;

/** Every structural problem becomes CERT_MALFORMED: the caller never sees a library exception. */
export function malformed(message: string): never {
  throw new ClientCertError('CERT_MALFORMED', message);
}

/** Scratch outputs of {@link readHeader}: module-level so the hot path allocates nothing per TLV. */
let headerContentStart = 0;
let headerConstructed = false;

/**
 * Reads one TLV header at `pos` and returns the end of its contents; the contents' start and
 * the constructed bit are left in `headerContentStart` / `headerConstructed`. Enforces DER:
 * definite, minimal lengths and low tag numbers. forge also reads BER, and two encodings of
 * one certificate must never hash to different fingerprints yet verify the same.
 */
function readHeaderEnd(buf: Buffer, pos: number, end: number, what: string): number {
  if (pos + 2 > end) malformed(`${what}: truncated ASN.1 header`);
  const tag = buf[pos];
  if ((tag & 0x1f) === 0x1f) malformed(`${what}: high-tag-number form is not used in X.509`);
  let length = buf[pos + 1];
  let contentStart = pos + 2;
  if (length === 0x80) malformed(`${what}: indefinite length is not DER`);
  if (length > 0x80) {
    const count = length & 0x7f;
    if (count > 3 || contentStart + count > end) malformed(`${what}: unsupported ASN.1 length`);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + buf[contentStart + i];
    if (buf[contentStart] === 0 || length < 0x80) malformed(`${what}: non-minimal DER length`);
    contentStart += count;
  }
  const contentEnd = contentStart + length;
  if (contentEnd > end) malformed(`${what}: ASN.1 length runs past the end`);
  headerContentStart = contentStart;
  headerConstructed = (tag & 0x20) !== 0;
  return contentEnd;
}

/** Reads one TLV header: returns [contentStart, contentEnd, constructed]. */
export function readHeader(buf: Buffer, pos: number, end: number, what: string): [number, number, boolean] {
  const contentEnd = readHeaderEnd(buf, pos, end, what);
  return [headerContentStart, contentEnd, headerConstructed];
}

/** Checks that [start, end) is a sequence of DER TLVs, recursing into constructed ones. */
export function checkDer(buf: Buffer, start: number, end: number, what: string): void {
  let pos = start;
  while (pos < end) {
    const contentEnd = readHeaderEnd(buf, pos, end, what);
    if (headerConstructed) checkDer(buf, headerContentStart, contentEnd, what);
    pos = contentEnd;
  }
}

/** The [start, end) spans of the TLVs in [start, end) (one level). */
export function derSpans(buf: Buffer, start: number, end: number, what: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let pos = start;
  while (pos < end) {
    const contentEnd = readHeaderEnd(buf, pos, end, what);
    spans.push([pos, contentEnd]);
    pos = contentEnd;
  }
  return spans;
}

/** Parses a complete DER element (all bytes consumed) with node-forge. */
export function parseDer(bytes: Buffer | string, what: string): Asn1 {
  const binary = typeof bytes === 'string' ? bytes : bytes.toString('latin1');
  try {
    // The typings only know the old boolean `strict` argument; forge 1.x takes this options object.
    const fromDer = forge.asn1.fromDer as unknown as (input: string, options: object) => Asn1;
    return fromDer(binary, { strict: true, parseAllBytes: true, decodeBitStrings: false });
  } catch (error) {
    return malformed(`${what}: ${(error as Error).message}`);
  }
}

/** Asserts class/type/constructed and returns the node. */
export function expect(node: Asn1 | undefined, tagClass: number, type: number, what: string): Asn1 {
  if (!node || node.tagClass !== tagClass || node.type !== type) malformed(`${what}: unexpected ASN.1 element`);
  return node;
}

export function children(node: Asn1 | undefined, what: string): Asn1[] {
  if (!node || !Array.isArray(node.value)) return malformed(`${what}: expected a constructed element`);
  return node.value;
}

export function sequence(node: Asn1 | undefined, what: string): Asn1[] {
  return children(expect(node, UNIVERSAL, T.SEQUENCE, what), what);
}

export function primitive(node: Asn1 | undefined, what: string): string {
  if (!node || typeof node.value !== 'string') return malformed(`${what}: expected a primitive element`);
  return node.value;
}

export function bytesOf(node: Asn1 | undefined, what: string): Buffer {
  return Buffer.from(primitive(node, what), 'latin1');
}

/** Dotted forms of the OIDs met so far: a certificate repeats the same few dozen. Bounded. */
const OID_CACHE = new Map<string, string>();

export function oidOf(node: Asn1 | undefined, what: string): string {
  const value = primitive(expect(node, UNIVERSAL, T.OID, what), what);
  const known = OID_CACHE.get(value);
  if (known !== undefined) return known;
  if (value.length === 0 || (value.charCodeAt(value.length - 1) & 0x80) !== 0) malformed(`${what}: bad OID`);
  const dotted = forge.asn1.derToOid(value);
  if (OID_CACHE.size < 4096) OID_CACHE.set(value, dotted);
  return dotted;
}

/** BIT STRING contents without the unused-bits octet. */
export function bitString(node: Asn1 | undefined, what: string): { unused: number; bytes: Buffer } {
  const raw = bytesOf(expect(node, UNIVERSAL, T.BIT_STRING, what), what);
  if (raw.length === 0 || raw[0] > 7 || (raw.length === 1 && raw[0] !== 0)) malformed(`${what}: bad BIT STRING`);
  return { unused: raw[0], bytes: raw.subarray(1) };
}

export function booleanOf(node: Asn1 | undefined, what: string): boolean {
  const value = primitive(expect(node, UNIVERSAL, T.BOOLEAN, what), what);
  if (value === '\xff') return true;
  if (value === '\x00') return false;
  return malformed(`${what}: BOOLEAN is not DER`);
}

/** Small non-negative INTEGER (pathLen, versions). */
export function smallInteger(node: Asn1 | undefined, what: string): number {
  const raw = bytesOf(expect(node, UNIVERSAL, T.INTEGER, what), what);
  if (raw.length === 0 || raw.length > 4 || raw[0] & 0x80) malformed(`${what}: INTEGER out of range`);
  if (raw.length > 1 && raw[0] === 0 && !(raw[1] & 0x80)) malformed(`${what}: INTEGER is not minimal`);
  return raw.readUIntBE(0, raw.length);
}

/** DER re-encoding of a node (used only for small sub-elements such as names in constraints). */
export function toDer(node: Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(node).getBytes(), 'latin1');
}
