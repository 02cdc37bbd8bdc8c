/**
 * PEM-armours DER (RFC 7468): base64 in 64-character lines.
 * @example toPem(cert.der) // '-----BEGIN CERTIFICATE-----\n...'
 */
export function toPem(der: Buffer, label = 'CERTIFICATE'): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
