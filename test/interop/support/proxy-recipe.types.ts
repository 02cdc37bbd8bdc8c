import type { InteropFiles } from './interop-pki.writer';

/** Where a proxy listens and forwards to, plus the TLS files it uses. */
export interface ProxySite {
  readonly files: InteropFiles;
  /** The proxy's own working dir (config, pid, logs, temp files). */
  readonly dir: string;
  /** HTTPS port the proxy listens on (127.0.0.1). */
  readonly port: number;
  /** The sample backend: every path except /echo. */
  readonly backendPort: number;
  /** The echo server: /echo, so tests see exactly what the recipe forwards. */
  readonly echoPort: number;
}

/**
 * One recipe of PROXIES.md: the lines the docs show (`lines`, pasted into the proxy's config
 * verbatim) and the module profile that reads what they forward.
 */
export interface ProxyRecipe {
  /** Short id used in test names, e.g. 'nginx url-pem'. */
  readonly id: string;
  /** The recipe's config lines, exactly as docs/PROXIES.md shows them. */
  readonly lines: readonly string[];
  /** Recipe lines for the enclosing context (nginx `http {}`), when the recipe needs any. */
  readonly outerLines?: readonly string[];
  /** The `CLIENT_CERT_PROXIES` profile (without name/from) that matches the recipe. */
  readonly profile: Record<string, unknown>;
  /** The header a client would try to forge (the recipe's certificate header). */
  readonly certHeader: string;
  /**
   * The headers a client would forge to pass as `cert`: the recipe's certificate header, encoded
   * the way the recipe encodes it, plus a passing verdict header where the preset requires one.
   */
  forge(cert: { der: Buffer; pem: string }): string[];
  /** A header that carries the first intermediate the client sent, when the recipe forwards one. */
  readonly chainHeader?: string;
  /**
   * What the proxy forwards in the certificate header when the client presented no certificate:
   * nothing (undefined), or a "no certificate" sentinel such as Caddy's unfilled placeholder.
   */
  readonly sentinelWithoutCert?: string;
  /** Whether a TLS client without a certificate gets through to the backend (optional client auth). */
  readonly optionalClientCert: boolean;
}
