import { ClientCertError } from '../errors/client-cert.error';
import { derElementEnd, parseContents, parseDer, sequence, spansIn, toDer } from './asn1.reader';
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

describe('parseDer (the one strict DER reader)', () => {
  // Valid/invalid pairs: each refused encoding next to the DER it should have been.
  it.each(
    [
      ['a short length', '30 03 02 01 05', 'a non-minimal length (0x81 0x03)', '30 81 03 02 01 05'],
      ['a one-octet long length', `04 81 80 ${'00 '.repeat(0x80)}`, 'a long length with a leading zero octet', `04 82 00 80 ${'00 '.repeat(0x80)}`],
      ['a definite length', '30 03 02 01 05', 'an indefinite length', '30 80 02 01 05 00 00'],
      ['a low tag number ([0])', '80 00', 'a high tag number ([32] in the high-tag form)', '9f 20 00'],
      ['a complete element', '30 03 02 01 05', 'trailing bytes', '30 03 02 01 05 00'],
      ['a length within the input', '30 03 02 01 05', 'a length past the end', '30 05 02 01 05'],
      ['a child within its parent', '30 03 02 01 05', 'a child running past its parent', '30 02 02 01 05'],
      ['a whole header', '05 00', 'a truncated header', '30'],
      ['a primitive INTEGER', '02 01 05', 'a constructed INTEGER', '22 03 02 01 05'],
      ['a primitive OCTET STRING', '04 01 61', 'a constructed OCTET STRING (BER segments)', '24 03 04 01 61'],
      ['a primitive UTCTime', '17 0d 32 36 30 31 30 31 30 30 30 30 30 30 5a', 'a constructed UTCTime', '37 0f 04 0d 32 36 30 31 30 31 30 30 30 30 30 30 5a'],
      ['a constructed SEQUENCE', '30 00', 'a primitive SEQUENCE', '10 00'],
      ['a constructed SET', '31 00', 'a primitive SET', '11 00'],
      ['a NULL', '30 02 05 00', 'an end-of-contents tag (UNIVERSAL 0)', '30 02 00 00'],
      ['BOOLEAN TRUE as ff', '01 01 ff', 'BOOLEAN TRUE as 01', '01 01 01'],
      ['BOOLEAN FALSE as 00', '01 01 00', 'a two-octet BOOLEAN', '01 02 00 00'],
      ['an empty NULL', '05 00', 'a NULL with contents', '05 01 00'],
      ['INTEGER 0', '02 01 00', 'an empty INTEGER', '02 00'],
      ['INTEGER 128 as 00 80', '02 02 00 80', 'INTEGER 1 as 00 01', '02 02 00 01'],
      ['INTEGER -128 as 80', '02 01 80', 'INTEGER -128 as ff 80', '02 02 ff 80'],
      ['ENUMERATED 1', '0a 01 01', 'ENUMERATED 1 as 00 01', '0a 02 00 01'],
      ['a 3-octet length', `04 83 01 00 00 ${'00 '.repeat(0x10000)}`, 'a 4-octet length', '04 84 00 00 00 01 00'],
    ].map(([valid, validBytes, invalid, invalidBytes]) => [valid, invalid, validBytes, invalidBytes]),
  )('accepts %s, rejects %s as CERT_MALFORMED', (_valid, _invalid, validBytes, invalidBytes) => {
    expect(code(() => parseDer(hex(validBytes), 'test'))).toBe('parsed');
    expect(code(() => parseDer(hex(invalidBytes), 'test'))).toBe('CERT_MALFORMED');
  });

  it('spansIn reads headers by the same rules and says where each element lies', () => {
    const der = hex('02 01 05 30 00 04 01 61');
    expect(spansIn(der, 0, der.length, 'test')).toEqual([
      { tag: 0x02, start: 0, contentStart: 2, end: 3 },
      { tag: 0x30, start: 3, contentStart: 5, end: 5 },
      { tag: 0x04, start: 5, contentStart: 7, end: 8 },
    ]);
    expect(code(() => spansIn(hex('30 81 03 02 01 05'), 0, 6, 'test'))).toBe('CERT_MALFORMED');
    expect(code(() => spansIn(hex('02 01 05 30'), 0, 4, 'test'))).toBe('CERT_MALFORMED');
  });

  it('derElementEnd finds the end of one element by the same rules', () => {
    expect(derElementEnd(hex('30 03 02 01 05 30 00'), 0, 'test')).toBe(5);
    expect(code(() => derElementEnd(hex('30 81 03 02 01 05'), 0, 'test'))).toBe('CERT_MALFORMED');
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
