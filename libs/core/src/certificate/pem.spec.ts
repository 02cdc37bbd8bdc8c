import { issueCertificate } from '@client-cert-auth/dev-pki';
import { ClientCertError } from '../errors/client-cert.error';
import { decodePemCertificates, toPem } from './pem';

describe('decodePemCertificates', () => {
  const a = issueCertificate({ subject: 'CN=a' });
  const b = issueCertificate({ subject: 'CN=b' });

  it.each<[string, string, Buffer[]]>([
    ['one block', a.pem, [a.der]],
    ['two blocks in order', a.pem + b.pem, [a.der, b.der]],
    ['CRLF line ends', (a.pem + b.pem).replace(/\n/g, '\r\n'), [a.der, b.der]],
    ['leading and trailing whitespace', `\n\n  ${a.pem}  \n\t`, [a.der]],
    ['explanatory text between blocks', `subject=CN=a\n${a.pem}issuer=CN=b\n${b.pem}`, [a.der, b.der]],
    ['a private key block next to the certificate', `${a.pem}${a.keyPem}`, [a.der]],
    ['blank text', '  \n ', []],
    ['our own toPem output', toPem(a.der), [a.der]],
  ])('decodes %s', (_name, text, expected) => {
    expect(decodePemCertificates(text)).toEqual(expected);
  });

  const body = a.pem.split('\n').slice(1, -2).join('\n');
  it.each<[string, string]>([
    ['a BEGIN without END', `-----BEGIN CERTIFICATE-----\n${body}\n`],
    ['mismatched labels', `-----BEGIN CERTIFICATE-----\n${body}\n-----END X509 CRL-----\n`],
    ['a non-base64 character', `-----BEGIN CERTIFICATE-----\n${body.replace(/.$/m, '!')}\n-----END CERTIFICATE-----\n`],
    ['padding in the middle', `-----BEGIN CERTIFICATE-----\nAA==${body}\n-----END CERTIFICATE-----\n`],
    ['an empty block', '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n'],
    ['text without any certificate block', 'MIIBszCCAVmgAwIBAgIU'],
  ])('rejects %s with CERT_MALFORMED', (_name, text) => {
    expect(() => decodePemCertificates(text)).toThrow(ClientCertError);
    try {
      decodePemCertificates(text);
    } catch (error) {
      expect((error as ClientCertError).code).toBe('CERT_MALFORMED');
    }
  });

  it('wraps toPem output at 64 characters', () => {
    const lines = toPem(a.der).trim().split('\n');
    expect(lines[0]).toBe('-----BEGIN CERTIFICATE-----');
    expect(lines.slice(1, -1).every((line) => line.length <= 64)).toBe(true);
  });
});
