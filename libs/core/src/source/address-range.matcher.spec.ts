import { AddressRanges, parseAddress } from './address-range.matcher';

describe('AddressRanges', () => {
  const ranges = new AddressRanges(['10.0.0.0/8', '192.168.1.7', 'fd00::/8', '::ffff:172.16.0.0/108'], 'test');

  it.each([
    ['10.1.2.3', true],
    ['::ffff:10.1.2.3', true],
    ['::FFFF:10.1.2.3', true],
    ['192.168.1.7', true],
    ['192.168.1.8', false],
    ['11.0.0.1', false],
    ['fd12::1', true],
    ['fe80::1%eth0', false],
    ['172.16.5.5', true],
    ['::ffff:172.32.0.1', false],
    ['::a01:203', false], // IPv4-compatible (deprecated), not mapped: not 10.1.2.3
    ['::10.1.2.3', false], // the same address as Node prints it
    ['0:0:0:0:0:0:10.1.2.3', false],
    ['::0:10.1.2.3', false],
    ['::ffff:a01:203', true], // mapped, in hex
    ['0:0:0:0:0:ffff:10.1.2.3', true],
    ['64:ff9b::10.1.2.3', false], // NAT64 is IPv6, not the IPv4 host
  ])('%s in ranges: %p', (address, expected) => {
    const parsed = parseAddress(address);
    expect(parsed !== undefined && ranges.contains(parsed)).toBe(expected);
  });

  it.each<[string, string]>([
    ['::10.1.2.3', '::a01:203'],
    ['::ffff:10.1.2.3', '10.1.2.3'],
    ['::FFFF:a01:203', '10.1.2.3'],
    ['1:2:3:4:5:6:10.1.2.3', '1:2:3:4:5:6:a01:203'],
  ])('parseAddress(%p) decides from the bytes: %s', (text, expected) => {
    expect(parseAddress(text)?.toString()).toBe(expected);
  });

  it('reads an IPv4-compatible range as IPv6, not as an IPv4 range', () => {
    const compatible = new AddressRanges(['::10.0.0.0/104'], 'test');
    expect(compatible.contains(parseAddress('10.1.2.3')!)).toBe(false);
    expect(compatible.contains(parseAddress('::ffff:10.1.2.3')!)).toBe(false);
    expect(compatible.contains(parseAddress('::a01:203')!)).toBe(true);
  });

  it.each<[string[], string[], string[]]>([
    [['10.0.0.0/8'], ['10.9.0.0/24'], ['10.0.0.0/8 / 10.9.0.0/24']],
    [['10.9.0.7'], ['10.9.0.0/24', '192.168.0.0/16'], ['10.9.0.7 / 10.9.0.0/24']],
    [['::ffff:10.9.0.0/120'], ['10.9.0.5'], ['::ffff:10.9.0.0/120 / 10.9.0.5']],
    [['10.0.0.0/16'], ['10.1.0.0/16'], []],
    [['fd00::/8'], ['10.0.0.0/8'], []],
  ])('overlaps(%p, %p)', (a, b, expected) => {
    expect(new AddressRanges(a, 'a').overlaps(new AddressRanges(b, 'b'))).toEqual(expected);
  });

  it.each(['', 'garbage', '10.1', '0x0a.0.0.1', '010.0.0.1', '10.0.0.1:443', undefined])('parseAddress(%p) is undefined', (text) => {
    expect(parseAddress(text)).toBeUndefined();
  });

  it.each([
    [[], /at least one address/],
    [['10.0.0.0/33'], /not an IP address or CIDR/],
    [['10.0.0.0/8/1'], /not an IP address or CIDR/],
    [['10.0.0/8'], /not an IP address or CIDR/],
    [['proxy.internal'], /not an IP address or CIDR/],
    [['10.0.0.0/x'], /not an IP address or CIDR/],
    [['0.0.0.0/0'], /trusts every address/],
    [['::/0'], /trusts every address/],
    [['::ffff:0.0.0.0/96'], /trusts every address/],
  ])('refuses %p at bootstrap', (entries, message) => {
    expect(() => new AddressRanges(entries as string[], 'profile "x"')).toThrow(message);
  });
});
