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
  ])('%s in ranges: %p', (address, expected) => {
    const parsed = parseAddress(address);
    expect(parsed !== undefined && ranges.contains(parsed)).toBe(expected);
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
