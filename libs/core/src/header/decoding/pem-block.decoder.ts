import { headerMalformed } from '../header.errors';
import { decodeBase64Strict } from './base64.decoder';
import { assertSingleDer } from './der-envelope';

const BEGIN = '-----BEGIN CERTIFICATE-----';
const END = '-----END CERTIFICATE-----';

/**
 * Decodes one or more PEM CERTIFICATE blocks whose line breaks may have become spaces (Apache),
 * tabs (nginx legacy obs-fold) or `\r\n`. Only whitespace may stand between blocks; any other
 * text (another label such as a private key, junk) is refused.
 *
 * Private to header/: `certificate/pem.ts` (a teammate's `decodePemCertificates`) did not exist
 * when this was written, and header parsing needs the count cap and HEADER_MALFORMED codes.
 *
 * @throws ClientCertError HEADER_MALFORMED
 */
export function decodePemBlocks(text: string, maxCertificates: number, what: string): Buffer[] {
  const blocks: Buffer[] = [];
  let rest = text.trim();
  if (rest === '') throw headerMalformed(`${what} holds no PEM certificate`);
  while (rest !== '') {
    if (!rest.startsWith(BEGIN)) {
      throw headerMalformed(`${what} holds text that is not a PEM CERTIFICATE block`, { at: blocks.length });
    }
    const end = rest.indexOf(END, BEGIN.length);
    if (end < 0) throw headerMalformed(`${what} has a PEM block without its END line`, { at: blocks.length });
    if (blocks.length >= maxCertificates) {
      throw headerMalformed(`${what} holds more than ${maxCertificates} certificates`, { limit: maxCertificates });
    }
    const body = rest.slice(BEGIN.length, end).replace(/[ \t\r\n]+/g, '');
    blocks.push(assertSingleDer(decodeBase64Strict(body, `${what} PEM body`), what));
    rest = rest.slice(end + END.length).trimStart();
  }
  return blocks;
}
