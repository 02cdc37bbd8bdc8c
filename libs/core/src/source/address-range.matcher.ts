import * as ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** An IPv6 text whose last 32 bits are written as a dotted quad (`::10.1.2.3`, `::ffff:10.1.2.3`). */
const DOTTED_TAIL = /^(.*:)(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})(%.*)?$/;

/**
 * The dotted-quad tail of an IPv6 text rewritten as two hex groups, so the address is read from
 * its bytes alone: ipaddr.js reads `::10.1.2.3` (IPv4-compatible, `::a01:203`) as if it were the
 * IPv4-mapped `::ffff:10.1.2.3`, which would trust an IPv6 peer as an IPv4 host.
 */
function hexTail(value: string): string | undefined {
  const match = DOTTED_TAIL.exec(value);
  if (!match) return value;
  if (!ipaddr.IPv4.isValidFourPartDecimal(match[2])) return undefined;
  const [a, b, c, d] = ipaddr.IPv4.parse(match[2]).octets;
  return `${match[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}${match[3] ?? ''}`;
}

/**
 * Parses an address as the socket or X-Forwarded-For gives it. Only an IPv4-mapped IPv6 address
 * (`::ffff:0:0/96`, what a dual-stack socket reports for an IPv4 peer) is folded to IPv4 so it
 * matches IPv4 ranges, decided from the address bytes: the deprecated IPv4-compatible form
 * (`::10.1.2.3`) and NAT64 (`64:ff9b::10.1.2.3`) stay IPv6. Only dotted-quad IPv4 is accepted
 * (`10.1` or `0x0a.1` are not addresses here).
 * @returns undefined when the text is not an address.
 */
export function parseAddress(text: string | undefined): Address | undefined {
  if (!text) return undefined;
  const value = text.trim();
  try {
    if (ipaddr.IPv4.isValidFourPartDecimal(value)) return ipaddr.IPv4.parse(value);
    if (!value.includes(':')) return undefined;
    const hex = hexTail(value);
    if (hex === undefined || !ipaddr.IPv6.isValid(hex)) return undefined;
    const v6 = ipaddr.IPv6.parse(hex);
    return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
  } catch {
    return undefined;
  }
}

type Range = readonly [address: Address, prefix: number, entry: string];

function parseRange(entry: string, where: string): Range {
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
  return [address, prefix, entry.trim()];
}

/**
 * A list of CIDRs compiled once at bootstrap.
 * @example new AddressRanges(['10.0.0.0/8', 'fd00::/8'], 'profile "waf" from').contains(parseAddress('::ffff:10.1.1.1')!) // true
 */
export class AddressRanges {
  private readonly ranges: readonly Range[];

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

  /** Pairs of entries (`"mine / theirs"`) that share at least one address, for start-up checks. */
  overlaps(other: AddressRanges): string[] {
    const shared: string[] = [];
    for (const [a, aPrefix, aEntry] of this.ranges) {
      for (const [b, bPrefix, bEntry] of other.ranges) {
        // Two CIDRs overlap when one holds the other's network: compare at the shorter prefix.
        if (a.kind() === b.kind() && a.match(b as never, Math.min(aPrefix, bPrefix))) shared.push(`${aEntry} / ${bEntry}`);
      }
    }
    return shared;
  }
}
