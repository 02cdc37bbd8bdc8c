import { asn1 } from 'node-forge';
import { toPem } from '../certificate/pem';
import { CrlFormatError, parseCrl } from './crl.parser';

describe('parseCrl refuses malformed input with CrlFormatError', () => {
  it.each([
    ['empty input', Buffer.alloc(0)],
    ['junk bytes', Buffer.from('not a crl at all')],
    ['a truncated SEQUENCE', Buffer.from('3082ffff3000', 'hex')],
    ['trailing bytes after the CRL', Buffer.from('30003000', 'hex')],
    ['a SEQUENCE without the three CRL parts', Buffer.from('3003020101', 'hex')],
    ['PEM without an X509 CRL block', Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')],
    ['indefinite length', Buffer.from('3080', 'hex')],
  ])('%s', (_name, input) => {
    expect(() => parseCrl(input)).toThrow(CrlFormatError);
  });
});

describe('parseCrl and the CRLNumber extension (RFC 5280 §5.2.3)', () => {
  const seq = (...items: asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
  const ecdsaWithSha256 = () => seq(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer('1.2.840.10045.4.3.2').getBytes()));
  const crlNumber = (critical: boolean) =>
    seq(
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer('2.5.29.20').getBytes()),
      ...(critical ? [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BOOLEAN, false, '\xff')] : []),
      asn1.create(
        asn1.Class.UNIVERSAL,
        asn1.Type.OCTETSTRING,
        false,
        asn1.toDer(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, '\x01')).getBytes(),
      ),
    );
  /** An (unsigned) CRL: the parser reads structure only; the store verifies signatures. */
  const crl = (extensions: asn1.Asn1[]) => {
    const issuer = seq(
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [
        seq(
          asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer('2.5.4.3').getBytes()),
          asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTF8, false, 'CA'),
        ),
      ]),
    );
    const tbs = seq(
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, '\x01'),
      ecdsaWithSha256(),
      issuer,
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, '260101000000Z'),
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, '260201000000Z'),
      ...(extensions.length ? [asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [seq(...extensions)])] : []),
    );
    const signature = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, '\x00\x30\x00');
    return Buffer.from(asn1.toDer(seq(tbs, ecdsaWithSha256(), signature)).getBytes(), 'binary');
  };

  it('accepts a CRL with a non-critical CRLNumber', () => {
    expect(parseCrl(crl([crlNumber(false)])).thisUpdate.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it.each([
    ['DER', (der: Buffer) => der],
    ['PEM (X509 CRL)', (der: Buffer) => Buffer.from(toPem(der, 'X509 CRL'))],
    [
      'PEM after explanatory text (RFC 7468 §2)',
      (der: Buffer) => Buffer.from(`Certificate Revocation List (CRL):\n    Version 2 (0x1)\n${toPem(der, 'X509 CRL')}`),
    ],
  ])('reads a CRL as %s through the one PEM decoder', (_form, encode) => {
    expect(parseCrl(encode(crl([crlNumber(false)]))).thisUpdate.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it.each([
    ['a PEM X509 CRL block with padding in the middle', (der: Buffer) => Buffer.from(toPem(der, 'X509 CRL').replace('\n', '\nAA==\n')), /not valid base64/],
    ['two PEM X509 CRL blocks', (der: Buffer) => Buffer.from(toPem(der, 'X509 CRL').repeat(2)), /more than 1/],
  ])('refuses %s', (_form, encode, message) => {
    expect(() => parseCrl(encode(crl([crlNumber(false)])))).toThrow(message);
  });

  it.each([
    ['without CRLNumber', [] as boolean[], /no CRLNumber/],
    ['with CRLNumber marked critical', [true], /marked critical/],
  ])('refuses a CRL %s', (_label, critical, message) => {
    expect(() => parseCrl(crl(critical.map(crlNumber)))).toThrow(message);
  });
});
