import type { ProxyProfileOptions } from './proxy-profile.options';

/**
 * Direct mTLS: Node terminates TLS itself (an `https` server with `requestCert: true`) and the
 * certificate is read from the connection, never from a header. A request uses this profile
 * when it arrived on one of `ports` (the local port of the listener); such a request is never
 * read through a header profile, and a header profile never reads a TLS connection's certificate.
 * The module validates the certificate and the chain the client sent itself (trust anchors,
 * intermediates, revocation, registry); Node's `authorized` flag is not consulted.
 *
 * @example { name: 'direct', source: 'tls', ports: [8443] }
 */
export interface TlsProfileOptions {
  /** A short name that appears in logs, metrics and the principal (`principal.profile`). */
  name: string;
  /** Read the certificate from the TLS connection. */
  source: 'tls';
  /**
   * Local ports of the HTTPS listeners this profile authenticates (what `socket.localPort` says,
   * i.e. the port the server listens on, not one a container maps to it). A request on such a
   * port over plain HTTP is refused (`SOURCE_UNTRUSTED`).
   * @example [8443]
   */
  ports: number[];
  /**
   * Caps for this profile, overriding the module-wide `limits`.
   * @default the module-wide limits (10 certificates)
   * @example { maxCertificates: 4 }
   */
  limits?: { maxCertificates?: number };
}

/** One entry of `proxies`: a proxy that forwards the certificate in headers, or a TLS listener. */
export type ClientCertProfileOptions = ProxyProfileOptions | TlsProfileOptions;

/** True for a `source: 'tls'` profile. */
export function isTlsProfile(profile: ClientCertProfileOptions): profile is TlsProfileOptions {
  return (profile as { source?: unknown }).source === 'tls';
}

/** True for a profile that reads headers a proxy sets (`source` absent or `'header'`). */
export function isHeaderProfile(profile: ClientCertProfileOptions): profile is ProxyProfileOptions {
  return !isTlsProfile(profile);
}
