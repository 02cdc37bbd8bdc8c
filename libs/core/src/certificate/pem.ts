import { ClientCertError } from '../errors/client-cert.error';

/**
 * A PEM block: `-----BEGIN <label>-----`, base64 body, `-----END <label>-----`.
 * The body is captured loosely and checked strictly afterwards, so that a damaged block
 * is reported as malformed instead of being silently skipped.
 */
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g;
const CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE']);
/** Strict base64: only the alphabet, padding only at the end. */
const BASE64_BODY = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** A forwarded chain or a CA bundle larger than this is not something we should parse. */
const MAX_PEM_TEXT = 1024 * 1024;

function malformed(message: string): ClientCertError {
  return new ClientCertError('CERT_MALFORMED', message);
}

/**
 * Decodes every `CERTIFICATE` block of a PEM text into DER, in order.
 *
 * Tolerant of CRLF line ends and of whitespace around and inside blocks, and of
 * explanatory text between blocks (RFC 7468 §2); blocks with other labels (keys, CRLs) are
 * ignored. Strict about the base64 itself: a non-alphabet character, misplaced padding or a
 * `BEGIN` without its `END` is an error, so corruption never passes as a shorter chain.
 *
 * @returns DER buffers; empty when the text holds only whitespace.
 * @throws ClientCertError `CERT_MALFORMED` when a block is damaged, or when non-blank text
 *   holds no certificate block at all.
 * @example decodePemCertificates(fs.readFileSync('ca.pem', 'utf8'))
 */
export function decodePemCertificates(text: string): Buffer[] {
  if (typeof text !== 'string') throw malformed('PEM input is not a string');
  if (text.length > MAX_PEM_TEXT) throw malformed(`PEM input exceeds ${MAX_PEM_TEXT} characters`);
  const certificates: Buffer[] = [];
  let blocks = 0;
  for (const match of text.matchAll(PEM_BLOCK)) {
    blocks++;
    const [, beginLabel, body, endLabel] = match;
    if (beginLabel !== endLabel) throw malformed(`PEM block BEGIN ${beginLabel} ends with END ${endLabel}`);
    if (!CERTIFICATE_LABELS.has(beginLabel)) continue;
    if (body.includes('-----')) throw malformed('PEM CERTIFICATE block contains a nested boundary');
    const base64 = body.replace(/[ \t\r\n]+/g, '');
    if (base64.length === 0 || !BASE64_BODY.test(base64)) {
      throw malformed('PEM CERTIFICATE block is not valid base64');
    }
    certificates.push(Buffer.from(base64, 'base64'));
  }
  const beginCount = text.split('-----BEGIN ').length - 1;
  if (beginCount !== blocks) throw malformed('PEM text has a BEGIN line without a matching END line');
  if (blocks === 0 && text.trim().length > 0) throw malformed('PEM text contains no CERTIFICATE block');
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
