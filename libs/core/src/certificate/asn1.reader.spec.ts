import { ClientCertError } from '../errors/client-cert.error';
import { parseContents, parseDer, sequence, toDer } from './asn1.reader';
import { parseDistinguishedName } from './distinguished-name.parser';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

function code(run: () => unknown): string {
  try {
    run();
    return 'parsed';
  } catch (error) {
    return error instanceof ClientCertError ? error.code : `foreign ${(error as Error).name}`;
  }
}

describe('parseDer (strict DER walker)', () => {
  it.each([
    ['a non-minimal length', '30 81 03 02 01 05'],
    ['an indefinite length', '30 80 02 01 05 00 00'],
    ['a high tag number', '1f 81 00 00'],
    ['trailing bytes', '30 03 02 01 05 00'],
    ['a length past the end', '30 05 02 01 05'],
    ['a child running past its parent', '30 02 02 01 05'],
    ['a truncated header', '30'],
  ])('rejects %s as CERT_MALFORMED', (_name, bytes) => {
    expect(code(() => parseDer(hex(bytes), 'test'))).toBe('CERT_MALFORMED');
  });

  it('reads values as binary strings and knows each element’s bytes', () => {
    const der = hex('30 08 02 01 05 04 03 61 62 63');
    const [integer, octets] = sequence(parseDer(der, 'test'), 'test');
    expect([integer.value, octets.value]).toEqual(['\x05', 'abc']);
    expect(toDer(octets)).toEqual(hex('04 03 61 62 63'));
  });

  it.each([
    ['a SEQUENCE inside an OCTET STRING', '04 05 30 03 02 01 07', 'parsed'],
    ['a non-minimal length inside an OCTET STRING', '04 06 30 81 03 02 01 07', 'CERT_MALFORMED'],
    ['trailing bytes inside an OCTET STRING', '04 06 30 03 02 01 07 00', 'CERT_MALFORMED'],
    ['an empty OCTET STRING', '04 00', 'CERT_MALFORMED'],
  ])('parseContents: %s -> %s', (_name, bytes, expected) => {
    expect(code(() => parseContents(parseDer(hex(bytes), 'test'), 'test'))).toBe(expected);
  });
});

describe('parseDistinguishedName string types', () => {
  // SEQUENCE { SET { SEQUENCE { OID 2.5.4.3 (CN), <value> } } }
  const name = (value: string) => {
    const v = hex(value);
    const atv = Buffer.concat([hex('06 03 55 04 03'), v]);
    const set = Buffer.concat([Buffer.from([0x30, atv.length]), atv]);
    const rdn = Buffer.concat([Buffer.from([0x31, set.length]), set]);
    return Buffer.concat([Buffer.from([0x30, rdn.length]), rdn]);
  };
  it.each([
    ['BMPString', '1e 04 00 41 00 e9', 'CN=Aé'],
    ['UTF8String', '0c 03 41 c3 a9', 'CN=Aé'],
    ['PrintableString', '13 02 41 42', 'CN=AB'],
    ['UniversalString', '1c 04 00 00 00 41', 'CN=A'],
  ])('decodes a %s value', (_type, value, expected) => {
    const der = name(value);
    expect(parseDistinguishedName(parseDer(der, 'test'), der, 'subject').rfc4514).toBe(expected);
  });

  it('rejects an odd-length BMPString', () => {
    const der = name('1e 03 00 41 00');
    expect(code(() => parseDistinguishedName(parseDer(der, 'test'), der, 'subject'))).toBe('CERT_MALFORMED');
  });
});
