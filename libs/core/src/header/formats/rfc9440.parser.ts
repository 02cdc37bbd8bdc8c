import { parseItem, parseList } from '../decoding/structured-field.adapter';
import type { ForwardedCertificate } from '../forwarded-certificate';
import { assertSingleDer } from '../decoding/der-envelope';
import { headerMalformed } from '../header.errors';
import { assertCertificateCount, assertWithinBytes, type HeaderLimitValues } from '../header.limits';
import { certificateValue, isNoCertificateSentinel } from '../header-value.normalizer';
import type { RawHeaderReader } from '../raw-header.reader';
import { certAndChainNames, type CertificateHeaderParser, type ParserSettings } from './certificate-header.parser';

function toDer(bare: unknown, what: string): Buffer {
  // toString, not instanceof: ArrayBuffers from another realm (jest's vm) fail instanceof.
  if (Object.prototype.toString.call(bare) !== '[object ArrayBuffer]') throw headerMalformed(`${what} is not an RFC 8941 byte sequence (:base64:)`);
  return assertSingleDer(Buffer.from(bare as ArrayBuffer), what);
}

/**
 * The canonical item: `:`, padded base64 (RFC 4648 §4), `:`, nothing else. Every proxy sends
 * this; Node decodes it directly in a fraction of the general parser's time. Anything else
 * (unpadded, parameters, junk) goes through the full RFC 8941 parser, which gives the same bytes
 * for the canonical form (tested) and the errors for the rest.
 *
 * Returns the decoded bytes when `value` is canonical. The test is that they encode back to
 * exactly the text sent: Node's decoder skips what is not base64, so any stray character,
 * misplaced `=`, URL-safe letter or non-zero padding bit changes the re-encoding. Decoding,
 * re-encoding and comparing cost ~2.5 µs for a P-256 certificate, a character-class regex
 * over the same text plus the decoding ~7 µs (interleaved runs, 2026-12-06).
 */
function canonicalBytes(value: string): Buffer | undefined {
  const length = value.length;
  if ((length - 2) % 4 !== 0 || value.charCodeAt(0) !== 0x3a || value.charCodeAt(length - 1) !== 0x3a) return undefined;
  const base64 = value.slice(1, -1);
  // Decoded straight into memory of its own (see `ownBytes`), not into Node's shared pool.
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(base64, 'base64'));
  const written = bytes.write(base64, 'base64');
  return bytes.toString('base64', 0, written) === base64 ? bytes.subarray(0, written) : undefined;
}

/** `:` + base64 alphabet + at most two `=` at the end + `:`, in whole 4-character groups, with zero padding bits. */
export function isCanonicalByteSequence(value: string): boolean {
  return canonicalBytes(value) !== undefined;
}

/** One RFC 8941 byte-sequence item `:<base64 DER>:` (parameters, which RFC 9440 does not use, are ignored). */
export function decodeByteSequenceItem(value: string, what: string): Buffer {
  const canonical = canonicalBytes(value);
  if (canonical) return assertSingleDer(canonical, what);
  let item;
  try {
    item = parseItem(value);
  } catch {
    throw headerMalformed(`${what} is not a valid RFC 8941 item`, { length: value.length });
  }
  return toDer(item[0], what);
}

/**
 * Chain header values, each an RFC 8941 list of byte sequences; several header lines are one
 * list in order (RFC 9110 §5.3), so their members are concatenated.
 */
export function decodeByteSequenceLists(values: readonly string[], limits: HeaderLimitValues, what: string): Buffer[] {
  const chain: Buffer[] = [];
  for (const value of values) {
    if (value.trim() === '') continue;
    let list;
    try {
      list = parseList(value);
    } catch {
      throw headerMalformed(`${what} is not a valid RFC 8941 list of byte sequences`, { length: value.length });
    }
    // +1: the leaf counts against the cap too.
    assertCertificateCount(chain.length + list.length + 1, limits.maxCertificates);
    for (const member of list) {
      if (Array.isArray(member[0])) throw headerMalformed(`${what} contains an inner list`);
      chain.push(toDer(member[0], what));
    }
  }
  return chain;
}

/**
 * A "no certificate" sentinel inside the byte-sequence colons: a recipe `:{placeholder}:` leaves
 * Caddy's unfilled placeholder there, `:{http.request.tls.client.certificate_der_base64}:`. `::`
 * stays malformed (an empty byte sequence is no sentinel any proxy sends).
 */
function isWrappedSentinel(value: string): boolean {
  // Base64 never starts with these: a certificate costs two character reads here, no slice.
  const first = value[1];
  if (first !== '{' && first !== '(' && first !== '-') return false;
  return value.length > 2 && value[0] === ':' && value[value.length - 1] === ':' && isNoCertificateSentinel(value.slice(1, -1));
}

/**
 * RFC 9440 `Client-Cert` (exactly once) and `Client-Cert-Chain` (leaf excluded; may repeat).
 *
 * @example Client-Cert: :MIIBqDCCAU6gAwIBAgIBBzAKBggqhkjOPQQDAjA6MRswGQYDVQQKDBJMZXQncyBBdXRoZW50...:
 */
export class Rfc9440Parser implements CertificateHeaderParser {
  readonly format = 'rfc9440' as const;
  readonly headerNames: readonly string[];

  constructor(private readonly settings: ParserSettings) {
    this.headerNames = certAndChainNames(settings.names);
  }

  parse(reader: RawHeaderReader): ForwardedCertificate | null {
    const { names, limits } = this.settings;
    const raw = reader.single(names.cert);
    const chainValues = names.chain ? reader.all(names.chain) : [];
    assertWithinBytes([raw, ...chainValues], limits);
    const value = certificateValue(raw, false);
    if (value === null || isWrappedSentinel(value)) return null;
    const leaf = decodeByteSequenceItem(value, names.cert);
    return { leaf, chain: decodeByteSequenceLists(chainValues, limits, names.chain ?? '') };
  }
}
