import { AsnConvert } from '@peculiar/asn1-schema';
import { Name } from '@peculiar/asn1-x509';

const SHORT: Record<string, string> = { '2.5.4.3': 'CN', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST', '0.9.2342.19200300.100.1.25': 'DC' };

/**
 * A readable issuer name for health output and logs (most specific RDN first). Not used for
 * matching: names are matched by their DER bytes.
 */
export function describeName(der: Buffer): string {
  try {
    const name = AsnConvert.parse(der, Name);
    return name
      .map((rdn) => rdn.map((atv) => `${SHORT[atv.type] ?? atv.type}=${atv.value.toString()}`).join('+'))
      .reverse()
      .join(',');
  } catch {
    return `DER:${der.toString('hex')}`;
  }
}
