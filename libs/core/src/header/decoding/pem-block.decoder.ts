import { readPemBlocks } from '../../certificate/pem';
import { headerMalformed } from '../header.errors';
import { assertSingleDer } from './der-envelope';

const CERTIFICATE_LABEL: ReadonlySet<string> = new Set(['CERTIFICATE']);

/**
 * Decodes one or more PEM CERTIFICATE blocks whose line breaks may have become spaces (Apache),
 * tabs (nginx legacy obs-fold) or `\r\n`. Only whitespace may stand between blocks; any other
 * text (another label such as a private key, junk) is refused.
 *
 * The module's one PEM decoder (`readPemBlocks`) in its strict mode, with the header's count
 * cap and HEADER_MALFORMED codes; each block must be exactly one DER certificate.
 *
 * @throws ClientCertError HEADER_MALFORMED
 */
export function decodePemBlocks(text: string, maxCertificates: number, what: string): Buffer[] {
  if (text.trim() === '') throw headerMalformed(`${what} holds no PEM certificate`);
  const fail = (message: string, details?: Record<string, unknown>) => headerMalformed(`${what}: ${message}`, details);
  return readPemBlocks(text, CERTIFICATE_LABEL, { strict: true, max: maxCertificates, fail }).map((der) => assertSingleDer(der, what));
}
