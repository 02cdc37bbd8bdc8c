import { parseDer } from '../certificate/asn1.reader';
import { parseDistinguishedName } from '../certificate/distinguished-name.parser';

/**
 * A readable issuer name for health output and logs (RFC 4514, most specific RDN first), read by
 * the same strict reader and name parser as certificates. Not used for matching: names are
 * matched by their DER bytes.
 */
export function describeName(der: Buffer): string {
  try {
    return parseDistinguishedName(parseDer(der, 'issuer'), der, 'issuer').rfc4514;
  } catch {
    return `DER:${der.toString('hex')}`;
  }
}
