import { derLength, derTime, objectIdentifier, readChildren, readTlv, sequence, unsignedInteger } from './der';

describe('der', () => {
  it.each([
    [0, '00'],
    [127, '7f'],
    [128, '8180'],
    [255, '81ff'],
    [256, '820100'],
    [70000, '83011170'],
  ])('derLength(%d) = %s', (n, hex) => expect(derLength(n).toString('hex')).toBe(hex));

  it.each([
    ['00', '020100'],
    ['7f', '02017f'],
    ['80', '02020080'],
    ['0080', '02020080'],
    ['000001', '020101'],
    ['ff01', '020300ff01'],
  ])('unsignedInteger(%s) is minimal and positive: %s', (mag, hex) => expect(unsignedInteger(Buffer.from(mag, 'hex')).toString('hex')).toBe(hex));

  it.each([
    ['2.5.4.3', '0603550403'],
    ['1.2.840.113549.1.1.11', '06092a864886f70d01010b'],
    ['2.5.29.37.0', '0604551d2500'],
    ['1.3.6.1.4.1.311.20.2.3', '060a2b060104018237140203'],
  ])('objectIdentifier(%s)', (oid, hex) => expect(objectIdentifier(oid).toString('hex')).toBe(hex));

  it('rejects a non-dotted OID', () => expect(() => objectIdentifier('cn')).toThrow(/not a dotted OID/));

  it.each([
    ['1950-01-01T00:00:00Z', 0x17, '500101000000Z'],
    ['2049-12-31T23:59:59.999Z', 0x17, '491231235959Z'],
    ['2050-01-01T00:00:00Z', 0x18, '20500101000000Z'],
    ['1949-12-31T23:59:59Z', 0x18, '19491231235959Z'],
  ])('derTime(%s) uses tag %i', (iso, tag, text) => {
    const der = derTime(new Date(iso));
    expect(der[0]).toBe(tag);
    expect(der.subarray(2).toString('ascii')).toBe(text);
  });

  it('reads back nested TLVs, long lengths included', () => {
    const big = Buffer.alloc(300, 1);
    const der = sequence(unsignedInteger(Buffer.from([5])), Buffer.concat([Buffer.from([0x04, 0x82, 0x01, 0x2c]), big]));
    const kids = readChildren(der, readTlv(der));
    expect(kids.map((k) => [k.tag, k.end - k.start])).toEqual([
      [0x02, 1],
      [0x04, 300],
    ]);
  });
});
