import type { HeaderFormat } from '../header-format';
import { Base64DerParser } from './base64-der.parser';
import type { CertificateHeaderParser, ParserSettings } from './certificate-header.parser';
import { GcpParser } from './gcp.parser';
import { PemParser } from './pem.parser';
import { Rfc9440Parser } from './rfc9440.parser';
import { UrlPemParser } from './url-pem.parser';
import { XfccParser } from './xfcc.parser';

const PARSERS: Readonly<Record<HeaderFormat, new (settings: ParserSettings) => CertificateHeaderParser>> = {
  rfc9440: Rfc9440Parser,
  xfcc: XfccParser,
  'url-pem': UrlPemParser,
  pem: PemParser,
  'base64-der': Base64DerParser,
  gcp: GcpParser,
};

/**
 * Default certificate header names per format, for profiles that give a format but no preset.
 * Lower-case; operators rename them with `headers`.
 */
export const DEFAULT_HEADER_NAMES: Readonly<Record<HeaderFormat, { cert: string; chain?: string }>> = {
  rfc9440: { cert: 'client-cert', chain: 'client-cert-chain' },
  xfcc: { cert: 'x-forwarded-client-cert' },
  'url-pem': { cert: 'x-ssl-client-cert' },
  pem: { cert: 'x-ssl-client-cert' },
  'base64-der': { cert: 'x-ssl-client-cert' },
  gcp: { cert: 'x-client-cert-leaf', chain: 'x-client-cert-chain' },
};

/** Builds the parser of one format, once, at bootstrap. */
export function createParser(format: HeaderFormat, settings: ParserSettings): CertificateHeaderParser {
  const Parser = PARSERS[format];
  if (!Parser) throw new Error(`Unknown header format "${String(format)}"; use one of ${Object.keys(PARSERS).join(', ')}`);
  return new Parser(settings);
}
