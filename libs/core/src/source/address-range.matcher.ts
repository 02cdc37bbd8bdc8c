import * as ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * Parses an address as the socket or X-Forwarded-For gives it, IPv4-mapped IPv6
 * (`::ffff:10.0.0.1`, what a dual-stack socket reports) folded to IPv4 so it matches IPv4 ranges.
 * Only dotted-quad IPv4 is accepted (`10.1` or `0x0a.1` are not addresses here). Zone ids are dropped.
 * @returns undefined when the text is not an address.
 */
export function parseAddress(text: string | undefined): Address | undefined {
  if (!text) return undefined;
  const value = text.trim();
  try {
    if (ipaddr.IPv4.isValidFourPartDecimal(value)) return ipaddr.IPv4.parse(value);
    if (!ipaddr.IPv6.isValid(value)) return undefined;
    const v6 = ipaddr.IPv6.parse(value);
    return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
  } catch {
    return undefined;
  }
}

function parseRange(entry: string, where: string): [Address, number] {
  const [addressText, prefixText, ...rest] = entry.trim().split('/');
  const address = parseAddress(addressText);
  const max = address?.kind() === 'ipv4' ? 32 : 128;
  const mapped = address?.kind() === 'ipv4' && addressText.includes(':');
  let prefix = prefixText === undefined ? max : Number(prefixText);
  if (mapped && prefixText !== undefined) prefix -= 96; // ::ffff:10.0.0.0/104 is 10.0.0.0/8
  if (!address || rest.length > 0 || !/^\d*$/.test(prefixText ?? '') || !Number.isInteger(prefix) || prefix < 0 || prefix > max) {
    throw new Error(`${where}: "${entry}" is not an IP address or CIDR; write e.g. "10.0.0.0/8", "10.1.2.3" or "fd00::/8"`);
  }
  if (prefix === 0) {
    throw new Error(`${where}: "${entry}" trusts every address, so any client could forge certificate headers; list the proxy's own addresses`);
  }
  return [address, prefix];
}

/**
 * A list of CIDRs compiled once at bootstrap.
 * @example new AddressRanges(['10.0.0.0/8', 'fd00::/8'], 'profile "waf" from').contains(parseAddress('::ffff:10.1.1.1')!) // true
 */
export class AddressRanges {
  private readonly ranges: ReadonlyArray<[Address, number]>;

  /** @throws Error saying how to write the entry, for an invalid one or a /0. */
  constructor(entries: readonly string[], where: string) {
    if (!Array.isArray(entries) || entries.length === 0) {
      throw new Error(`${where}: list at least one address or CIDR of the proxy, e.g. ["10.0.0.0/8"]`);
    }
    this.ranges = entries.map((entry) => {
      if (typeof entry !== 'string') throw new Error(`${where}: ${JSON.stringify(entry)} is not a string`);
      return parseRange(entry, where);
    });
  }

  contains(address: Address): boolean {
    for (const [range, prefix] of this.ranges) {
      if (range.kind() === address.kind() && address.match(range, prefix)) return true;
    }
    return false;
  }
}
