import { parseAddress } from './address-range.matcher';

/** As many peers as the warm key builder remembers; past it the memo starts afresh. */
const MAX_PEERS = 1024;

const parsed = new Map<string, ReturnType<typeof parseAddress>>();

/**
 * `parseAddress` of the TCP peer's address, remembered. The peers of a backend behind a WAF are
 * its few proxies, so the same handful of strings come back on every request that misses the
 * warm path; parsing one through ipaddr.js cost 3-15 µs (IPv4 / IPv4-mapped IPv6, loaded host,
 * 2026-12-06), a Map lookup nanoseconds. Bounded: a flood from many addresses only clears it.
 */
export function peerAddress(remoteAddress: string | undefined): ReturnType<typeof parseAddress> {
  if (remoteAddress === undefined) return undefined;
  let address = parsed.get(remoteAddress);
  if (address === undefined && !parsed.has(remoteAddress)) {
    if (parsed.size >= MAX_PEERS) parsed.clear();
    address = parseAddress(remoteAddress);
    parsed.set(remoteAddress, address);
  }
  return address;
}
