import type { HeaderFormat } from '../header/header-format';

/**
 * A proxy the backend trusts to forward client certificates. A request is read through a
 * profile only when its TCP peer address is inside `from`; certificate headers from any other
 * peer are ignored and the request is refused with `SOURCE_UNTRUSTED`.
 *
 * @example { name: 'waf', from: ['10.0.0.0/8'], format: 'rfc9440' }
 */
export interface ProxyProfileOptions {
  /** A short name that appears in logs, metrics and the principal. */
  name: string;
  /**
   * CIDRs or single addresses (IPv4 and IPv6) of the proxy as the backend's socket sees it.
   * IPv4-mapped IPv6 peers (`::ffff:10.0.0.1`) match IPv4 ranges.
   * @example ['10.0.0.0/8', 'fd00::/8']
   */
  from: string[];
  /** The header format this proxy sends. */
  format: HeaderFormat;
  /**
   * Header names, when the proxy uses other names than the format's defaults.
   * `cert` is the leaf header, `chain` the chain header (formats that have one).
   * @default the format's names (`Client-Cert` / `Client-Cert-Chain` for rfc9440, `X-SSL-Client-Cert` for url-pem)
   */
  headers?: { cert?: string; chain?: string };
}
