import * as forge from 'node-forge';
import { ClientCertError } from '../errors/client-cert.error';

// Over STYLE.md's 150 lines on purpose: the DER walker and the node helpers share this module
// because splitting the walker into its own file measured ~1.5 µs slower per certificate
// (bench/validation.bench.ts, 2 x 2 interleaved runs, 04:08 UTC 2026-11-28).

/**
 * A decoded ASN.1 element, shaped like node-forge's (`value` is a Latin-1 binary string for
 * primitives, the children for constructed elements), plus where it sits in its source bytes.
 * Nodes from {@link parseDer} always carry `src` and the offsets; nodes built by hand may not.
 */
export interface Asn1 {
  tagClass: number;
  type: number;
  constructed: boolean;
  /** forge's flag; absent on parsed nodes (same as `constructed` there). */
  composed?: boolean;
  value: string | Asn1[];
  /** The bytes this node was read from. */
  src?: Buffer;
  /** Offset of the tag octet in `src`. */
  start?: number;
  /** Offset of the first contents octet in `src`. */
  contentStart?: number;
  /** Offset just past the contents in `src`. */
  end?: number;
}

/** Every structural problem becomes CERT_MALFORMED: the caller never sees a library exception. */
export function malformed(message: string): never {
  throw new ClientCertError('CERT_MALFORMED', message);
}

/** Scratch outputs of {@link readHeaderEnd}: module-level so the hot path allocates nothing per TLV. */
let headerContentStart = 0;
let headerConstructed = false;

/**
 * Identifier octets DER allows, by octet (1 allowed): every APPLICATION, CONTEXT and PRIVATE tag,
 * and the UNIVERSAL ones in their DER form (X.690 §8, §10.2): strings and times primitive;
 * SEQUENCE, SET, EXTERNAL, EMBEDDED PDV and CHARACTER STRING constructed; never end-of-contents
 * (0), the reserved 15 or the high-tag escape. One lookup per element on the hot path.
 */
const TAG_ALLOWED = new Uint8Array(256).fill(1);
for (let number = 0; number < 32; number++) {
  const constructedOnly = [8, 11, 16, 17, 29].includes(number);
  const never = number === 0 || number === 15 || number === 31;
  if (never || constructedOnly) TAG_ALLOWED[number] = 0;
  if (never || !constructedOnly) TAG_ALLOWED[number | 0x20] = 0;
}

/**
 * Reads one TLV header at `pos` and returns the end of its contents; the contents' start and
 * the constructed bit are left in `headerContentStart` / `headerConstructed`. Enforces DER:
 * definite, minimal lengths, low tag numbers, the primitive/constructed form of UNIVERSAL tags
 * and, for BOOLEAN, NULL, INTEGER and ENUMERATED, the one encoding DER allows. forge and asn1js
 * also read BER, and two encodings of one structure must never hash differently yet verify the same.
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
  if (TAG_ALLOWED[tag] === 0) malformed(`${what}: UNIVERSAL tag 0x${tag.toString(16)} is reserved or in the wrong primitive/constructed form`);
  if (tag <= 0x0a && (tag === 0x02 || tag === 0x01 || tag === 0x05 || tag === 0x0a)) checkValueEncoding(buf, tag, contentStart, length, what);
  headerContentStart = contentStart;
  headerConstructed = (tag & 0x20) !== 0;
  return contentEnd;
}

/** DER's one encoding of BOOLEAN, NULL, INTEGER and ENUMERATED contents (X.690 §8.2, §8.3, §8.8, §11.1). */
function checkValueEncoding(buf: Buffer, tag: number, contentStart: number, length: number, what: string): void {
  if (tag === 0x01) {
    if (length !== 1 || (buf[contentStart] !== 0 && buf[contentStart] !== 0xff)) malformed(`${what}: BOOLEAN is not DER`);
  } else if (tag === 0x05) {
    if (length !== 0) malformed(`${what}: NULL with contents`);
  } else if (
    length === 0 ||
    (length > 1 && (buf[contentStart] === 0 ? buf[contentStart + 1] < 0x80 : buf[contentStart] === 0xff && buf[contentStart + 1] >= 0x80))
  ) {
    malformed(`${what}: INTEGER is not minimal`);
  }
}

/**
 * The end of the complete DER element at `pos` (strict, as every element this module reads),
 * checking its header only: for splitting concatenated elements before parsing each.
 *
 * @throws ClientCertError `CERT_MALFORMED`
 */
export function derElementEnd(bytes: Buffer, pos: number, what: string): number {
  return readHeaderEnd(bytes, pos, bytes.length, what);
}

/** Where one element lies in its source, read by its header only (strictly); see {@link spansIn}. */
export interface DerSpan {
  /** The identifier octet, e.g. 0x30 for a SEQUENCE. */
  readonly tag: number;
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

/**
 * The elements in `[start, end)` of `src`, by their headers only (same strict rules as
 * {@link parseDer}; their contents are not read yet). For lists too long to hold as one tree:
 * a CRL with 20,000 entries is ~200,000 nodes, and building them all at once costs more in
 * garbage collection than reading them; read each span with `parseDer(src.subarray(…))`.
 */
export function spansIn(src: Buffer, start: number, end: number, what: string): DerSpan[] {
  const spans: DerSpan[] = [];
  for (let at = start; at < end;) {
    const tag = src[at];
    const contentEnd = readHeaderEnd(src, at, end, what);
    spans.push({ tag, start: at, contentStart: headerContentStart, end: contentEnd });
    at = contentEnd;
  }
  return spans;
}

/** forge's default: deep enough for any certificate, shallow enough for the stack. */
const MAX_DEPTH = 256;

/**
 * One TLV at `pos` (strict DER, see {@link readHeaderEnd}) and, for a constructed one, its
 * children. `binary` holds the Latin-1 text of `src` from offset `base` on.
 */
function readNode(src: Buffer, binary: string, base: number, pos: number, end: number, depth: number, what: string): Asn1 {
  if (depth >= MAX_DEPTH) malformed(`${what}: ASN.1 nesting too deep`);
  const tag = src[pos];
  const contentEnd = readHeaderEnd(src, pos, end, what);
  const contentStart = headerContentStart;
  const constructed = headerConstructed;
  let value: string | Asn1[];
  if (constructed) {
    const list: Asn1[] = [];
    for (let at = contentStart; at < contentEnd; at = list[list.length - 1].end!) list.push(readNode(src, binary, base, at, contentEnd, depth + 1, what));
    value = list;
  } else {
    value = binary.substring(contentStart - base, contentEnd - base);
  }
  return { tagClass: tag & 0xc0, type: tag & 0x1f, constructed, value, src, start: pos, contentStart, end: contentEnd };
}

/**
 * Parses a complete DER element (all bytes consumed). Stricter than node-forge's BER reader:
 * definite minimal lengths, low tag numbers, no trailing bytes, at every level.
 */
export function parseDer(bytes: Buffer | string, what: string): Asn1 {
  const src = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
  const node = readNode(src, typeof bytes === 'string' ? bytes : src.toString('latin1'), 0, 0, src.length, 0, what);
  if (node.end !== src.length) malformed(`${what}: trailing bytes after the ASN.1 element`);
  return node;
}

/**
 * Parses the contents of a primitive node (an extnValue OCTET STRING, an encapsulated
 * structure) as one complete DER element, reading the node's own source bytes and binary
 * string: no copy. `skip` leading octets are not part of the element (a BIT STRING's unused-bits octet).
 */
export function parseContents(node: Asn1, what: string, skip = 0): Asn1 {
  const { src, contentStart, end, value } = node;
  if (!src || contentStart === undefined || end === undefined || typeof value !== 'string')
    return parseDer(typeof value === 'string' ? value.substring(skip) : malformed(`${what}: expected a primitive element`), what);
  const inner = readNode(src, value, contentStart, contentStart + skip, end, 0, what);
  if (inner.end !== end) malformed(`${what}: trailing bytes after the ASN.1 element`);
  return inner;
}

export const UNIVERSAL = 0x00;
export const CONTEXT = 0x80;
export const T = {
  BOOLEAN: 1,
  INTEGER: 2,
  BIT_STRING: 3,
  OCTET_STRING: 4,
  NULL: 5,
  OID: 6,
  ENUMERATED: 10,
  UTF8: 12,
  SEQUENCE: 16,
  SET: 17,
  UTC_TIME: 23,
  GENERALIZED_TIME: 24,
} as const;

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

/** The identifier octet (class, constructed bit, tag number) as one byte, e.g. 0x30 or 0xa0. */
export function tagOf(node: Asn1): number {
  return node.tagClass | (node.constructed ? 0x20 : 0) | node.type;
}

/** The contents octets: a view into the source bytes when the node has them. */
export function bytesOf(node: Asn1 | undefined, what: string): Buffer {
  const value = primitive(node, what);
  return node!.src && node!.contentStart !== undefined ? node!.src.subarray(node!.contentStart, node!.end) : Buffer.from(value, 'latin1');
}

/** Lowercase hex of the contents octets, without a Buffer view in between. */
export function hexOf(node: Asn1 | undefined, what: string): string {
  const value = primitive(node, what);
  return node!.src && node!.contentStart !== undefined
    ? node!.src.toString('hex', node!.contentStart, node!.end)
    : Buffer.from(value, 'latin1').toString('hex');
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

/** Checks a BIT STRING and returns its unused-bits count, without copying or viewing its bytes. */
export function bitStringUnused(node: Asn1 | undefined, what: string): number {
  const raw = primitive(expect(node, UNIVERSAL, T.BIT_STRING, what), what);
  const unused = raw.charCodeAt(0);
  if (raw.length === 0 || unused > 7 || (raw.length === 1 && unused !== 0)) malformed(`${what}: bad BIT STRING`);
  return unused;
}

/** BIT STRING contents without the unused-bits octet. */
export function bitString(node: Asn1 | undefined, what: string): { unused: number; bytes: Buffer } {
  const unused = bitStringUnused(node, what);
  return { unused, bytes: bytesOf(node, what).subarray(1) };
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
  if (node.src && node.start !== undefined) return node.src.subarray(node.start, node.end);
  return Buffer.from(forge.asn1.toDer(node as forge.asn1.Asn1).getBytes(), 'latin1');
}
