import { ClientCertError } from '../errors/client-cert.error';

const BEGIN = '-----BEGIN ';
const END = '-----END ';
const DASHES = '-----';
/** RFC 7468 labels: printable characters without `-`; we see only upper-case letters, digits and spaces. */
const LABEL = /^[A-Z0-9 ]+$/;
const CERTIFICATE_LABELS: ReadonlySet<string> = new Set(['CERTIFICATE', 'X509 CERTIFICATE']);
/** Strict base64: only the alphabet, padding only at the end. */
const BASE64_BODY = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** A forwarded chain or a CA bundle larger than this is not something we should parse. */
const MAX_PEM_TEXT = 1024 * 1024;

/** How {@link readPemBlocks} reads a text, and how it reports damage. */
export interface PemReadOptions {
  /**
   * A value that must be nothing but blocks (a header): only whitespace may stand between
   * blocks and every block must carry a wanted label. Otherwise (files) RFC 7468 §2's
   * explanatory text is allowed and blocks with other labels (keys, CRLs) are skipped.
   * @default false
   */
  readonly strict?: boolean;
  /** The most wanted blocks to decode; one more is refused before its base64 is read. */
  readonly max?: number;
  /** @default 1 MiB */
  readonly maxText?: number;
  /** Makes the error for damaged input: the caller's class and code (CERT_MALFORMED, HEADER_MALFORMED…). */
  readonly fail: (message: string, details?: Record<string, unknown>) => Error;
}

/**
 * The module's one PEM decoder (RFC 7468): the DER of every block whose label is in `labels`,
 * in order. Tolerant of CRLF line ends and of whitespace around and inside blocks. Strict about
 * the rest: a BEGIN without its END, an END with another label, a nested boundary, a
 * non-alphabet character or misplaced padding is an error, so corruption never passes as a
 * shorter chain.
 *
 * @throws whatever `options.fail` makes
 * @example readPemBlocks(text, new Set(['X509 CRL']), { fail: (m) => new CrlFormatError(m) })
 */
export function readPemBlocks(text: string, labels: ReadonlySet<string>, options: PemReadOptions): Buffer[] {
  const { strict = false, max = Infinity, maxText = MAX_PEM_TEXT, fail } = options;
  if (typeof text !== 'string') throw fail('PEM input is not a string');
  if (text.length > maxText) throw fail(`PEM input exceeds ${maxText} characters`);
  const blocks: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const begin = text.indexOf(BEGIN, pos);
    if (strict && text.slice(pos, begin < 0 ? text.length : begin).trim() !== '') {
      throw fail(`holds text that is not a PEM ${[...labels][0]} block`, { at: blocks.length });
    }
    if (begin < 0) break;
    const labelEnd = text.indexOf(DASHES, begin + BEGIN.length);
    const label = labelEnd < 0 ? '' : text.slice(begin + BEGIN.length, labelEnd);
    if (!LABEL.test(label)) throw fail('PEM BEGIN line is damaged', { at: blocks.length });
    const end = text.indexOf(DASHES, labelEnd + DASHES.length);
    if (end < 0) throw fail('PEM text has a BEGIN line without a matching END line', { at: blocks.length });
    if (!text.startsWith(END, end)) throw fail(`PEM ${label} block contains a nested boundary`, { at: blocks.length });
    const endLabelEnd = text.indexOf(DASHES, end + END.length);
    const endLabel = endLabelEnd < 0 ? '' : text.slice(end + END.length, endLabelEnd);
    if (endLabel !== label) throw fail(`PEM block BEGIN ${label} ends with END ${endLabel || '(damaged)'}`, { at: blocks.length });
    pos = endLabelEnd + DASHES.length;
    if (!labels.has(label)) {
      if (strict) throw fail(`holds a PEM ${label} block where only ${[...labels].join(' or ')} is expected`, { at: blocks.length });
      continue;
    }
    if (blocks.length >= max) throw fail(`holds more than ${max} PEM ${label} blocks`, { limit: max });
    const base64 = text.slice(labelEnd + DASHES.length, end).replace(/[ \t\r\n]+/g, '');
    if (base64.length === 0 || !BASE64_BODY.test(base64)) throw fail(`PEM ${label} block is not valid base64`, { at: blocks.length });
    blocks.push(Buffer.from(base64, 'base64'));
  }
  return blocks;
}

function malformed(message: string): ClientCertError {
  return new ClientCertError('CERT_MALFORMED', message);
}

/**
 * Decodes every `CERTIFICATE` block of a PEM text into DER, in order ({@link readPemBlocks}
 * on a file: explanatory text between blocks allowed, blocks with other labels ignored).
 *
 * @returns DER buffers; empty when the text holds only whitespace.
 * @throws ClientCertError `CERT_MALFORMED` when a block is damaged, or when non-blank text
 *   holds no certificate block at all.
 * @example decodePemCertificates(fs.readFileSync('ca.pem', 'utf8'))
 */
export function decodePemCertificates(text: string): Buffer[] {
  const certificates = readPemBlocks(text, CERTIFICATE_LABELS, { fail: malformed });
  if (certificates.length === 0 && !text.includes(BEGIN) && text.trim().length > 0) throw malformed('PEM text contains no CERTIFICATE block');
  return certificates;
}

/**
 * Encodes DER as PEM with 64-character lines and a trailing newline.
 * @default label 'CERTIFICATE'
 * @example toPem(cert.der) // '-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----\n'
 */
export function toPem(der: Buffer, label = 'CERTIFICATE'): string {
  const base64 = der.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += 64) lines.push(base64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
