/** What the proxy's MAC covers besides the headers: the request line and its own two headers. */
export interface HmacMessageParts {
  /** The request method as sent (`GET`). */
  readonly method: string;
  /** The request target as on the request line: path and query (`/orders?page=2`). */
  readonly target: string;
  /** The timestamp header's value, as sent. */
  readonly timestamp: string;
  /** The nonce header's value, as sent. */
  readonly nonce: string;
}

/** The headers a profile's MAC covers, fixed at bootstrap. */
export interface HmacCoverage {
  /** Lower-case names of every header the profile reads, sorted (byte order). */
  readonly names: readonly string[];
  /** Lower-case prefix of numbered chain headers (`x-ssl-client-cert-chain-`): every present one is covered. */
  readonly chainPrefix?: string;
}

/**
 * The exact text the proxy's HMAC is computed over (docs/PROXIES.md, "HMAC-signed forwarding"),
 * lines joined by `\n` with no trailing newline:
 *
 * ```
 * <method>
 * <request target>
 * <timestamp>
 * <nonce>
 * <name>:<value>   one line per occurrence of each covered header, names lower-case and sorted;
 * <name>           a covered header that is absent: the name alone, no colon
 * ```
 *
 * Header values cannot hold a line break (HTTP forbids it and Node's parser refuses it), so the
 * lines cannot be forged into one another; a present empty header (`name:`) and an absent one
 * (`name`) differ. Numbered chain headers are covered by their prefix: each present one gets a
 * line in name order, so adding or removing one changes the text.
 *
 * @example
 * buildHmacMessage(
 *   { method: 'GET', target: '/orders', timestamp: '1765000000', nonce: '0b9c…' },
 *   { names: ['x-ssl-client-cert', 'x-ssl-client-chain', 'x-ssl-client-verify'] },
 *   ['X-SSL-Client-Cert', 'MIIB…', 'X-SSL-Client-Verify', '0'],
 * ) // 'GET\n/orders\n1765000000\n0b9c…\nx-ssl-client-cert:MIIB…\nx-ssl-client-chain\nx-ssl-client-verify:0'
 */
export function buildHmacMessage(parts: HmacMessageParts, coverage: HmacCoverage, rawHeaders: readonly string[]): string {
  const values = new Map<string, string[]>();
  for (const name of coverage.names) values.set(name, []);
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    let list = values.get(name);
    if (list === undefined && coverage.chainPrefix !== undefined && name.startsWith(coverage.chainPrefix)) {
      list = [];
      values.set(name, list);
    }
    list?.push(rawHeaders[i + 1]);
  }
  const lines = [parts.method, parts.target, parts.timestamp, parts.nonce];
  for (const name of [...values.keys()].sort(byteOrder)) {
    const occurrences = values.get(name)!;
    if (occurrences.length === 0) lines.push(name);
    else for (const value of occurrences) lines.push(`${name}:${value}`);
  }
  return lines.join('\n');
}

/** Plain code-unit order (what `sort` in a shell with LC_ALL=C gives), never locale order. */
function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
