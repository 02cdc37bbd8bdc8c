import { derElementEnd } from '../../certificate/asn1.reader';
import { headerMalformed } from '../header.errors';

/**
 * Length of the DER element (a certificate is one SEQUENCE) that starts at `offset`, header
 * included; `undefined` when it is not a SEQUENCE that fits in `bytes` with a header the
 * module's strict DER reader accepts (definite, minimal length).
 */
export function derSequenceLength(bytes: Buffer, offset: number): number | undefined {
  if (offset + 2 > bytes.length || bytes[offset] !== 0x30) return undefined;
  try {
    return derElementEnd(bytes, offset, 'certificate') - offset;
  } catch {
    return undefined;
  }
}

/**
 * Checks that `der` is exactly one SEQUENCE (no truncation, no trailing bytes), so a cut or
 * padded value is refused here rather than reaching the certificate parser.
 */
export function assertSingleDer(der: Buffer, what: string): Buffer {
  if (derSequenceLength(der, 0) !== der.length) {
    throw headerMalformed(`${what} is not one complete DER certificate`, { bytes: der.length });
  }
  return ownBytes(der);
}

/**
 * The same bytes in memory of their own. A small `Buffer.from(text, 'base64')` is a slice of
 * Node's shared 8 KB pool, and a certificate split out of a concatenated chain is a view of the
 * whole chain; the verdict cache keeps a leaf's DER as long as its entry lives, and a view would
 * keep all of that alive with it (RSS growth over 100,000 certificates: 82 MB with views, 42 MB
 * with own copies; bench/RESULTS.md).
 */
export function ownBytes(view: Buffer): Buffer {
  if (view.byteOffset === 0 && view.byteLength === view.buffer.byteLength) return view;
  const own = Buffer.allocUnsafeSlow(view.length);
  view.copy(own);
  return own;
}

/**
 * Splits one buffer of concatenated DER certificates (HAProxy `ssl_c_chain_der`) by their own
 * length fields. Stops with HEADER_MALFORMED past `max` certificates, before copying more.
 */
export function splitConcatenatedDer(bytes: Buffer, max: number, what: string): Buffer[] {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const length = derSequenceLength(bytes, offset);
    if (length === undefined) {
      throw headerMalformed(`${what} is not a sequence of complete DER certificates`, { offset, bytes: bytes.length });
    }
    if (parts.length >= max) {
      throw headerMalformed(`${what} holds more than ${max} certificates`, { limit: max });
    }
    parts.push(ownBytes(bytes.subarray(offset, offset + length)));
    offset += length;
  }
  return parts;
}
