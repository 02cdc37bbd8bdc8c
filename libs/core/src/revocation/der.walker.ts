/**
 * Just enough DER walking to slice exact signed bytes and names out of a structure
 * (the schema library re-encodes what it parses, and a signature or a name comparison
 * needs the original bytes). Throws on truncated or indefinite-length input.
 */
export interface Tlv {
  /** The first identifier octet (class, constructed bit, low tag number). */
  readonly tag: number;
  /** The whole element: header and content. */
  readonly bytes: Buffer;
  readonly content: Buffer;
}

export function readTlv(buffer: Buffer, offset = 0): Tlv {
  if (offset + 2 > buffer.length) throw new RangeError('DER: truncated header');
  const tag = buffer[offset];
  if ((tag & 0x1f) === 0x1f) throw new RangeError('DER: high tag numbers are not used here');
  let length = buffer[offset + 1];
  let header = 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets === 0 || octets > 4 || offset + 2 + octets > buffer.length) throw new RangeError('DER: bad length');
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + buffer[offset + 2 + i];
    header += octets;
  }
  const end = offset + header + length;
  if (end > buffer.length) throw new RangeError('DER: truncated content');
  return { tag, bytes: buffer.subarray(offset, end), content: buffer.subarray(offset + header, end) };
}

/** The elements inside a constructed element. */
export function childrenOf(element: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let offset = 0; offset < element.content.length; ) {
    const child = readTlv(element.content, offset);
    out.push(child);
    offset += child.bytes.length;
  }
  return out;
}

/** The raw subjectPublicKey bits of an SPKI (what OCSP issuerKeyHash and byKey responder IDs hash). */
export function subjectPublicKeyBits(spkiDer: Buffer): Buffer {
  const bitString = childrenOf(readTlv(spkiDer))[1];
  if (!bitString || bitString.tag !== 0x03) throw new RangeError('DER: SPKI without a BIT STRING');
  return bitString.content.subarray(1);
}
