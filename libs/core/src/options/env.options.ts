import type { ClientCertAuthOptions } from './client-cert-auth.options';
import { ClientCertOptionsError } from './options.error';
import type { ProxyProfileOptions } from './proxy-profile.options';
import type { ClientCertProfileOptions, TlsProfileOptions } from './tls-profile.options';
import type { RevocationMode, RevocationOptions } from './revocation.options';

/** Anything that reads env-style settings: `ConfigService`, or `process.env` wrapped in a getter. */
export interface SettingsReader {
  get<T = string>(key: string): T | undefined;
}

/**
 * Builds module options from `CLIENT_CERT_*` settings (see docs/CONFIGURATION.md), so the
 * same app runs behind any proxy by configuration alone.
 *
 * | variable | meaning |
 * |---|---|
 * | `CLIENT_CERT_PROXIES` | JSON array of proxy profiles (overrides the single-profile variables) |
 * | `CLIENT_CERT_PROXY_NAME` | name of the single profile (default `waf`) |
 * | `CLIENT_CERT_PROXY_FROM` | comma-separated CIDRs of the proxy (required without `CLIENT_CERT_PROXIES`) |
 * | `CLIENT_CERT_PROXY_FORMAT` | header format (default `rfc9440`) |
 * | `CLIENT_CERT_HEADER` / `CLIENT_CERT_CHAIN_HEADER` | header names, when renamed at the proxy |
 * | `CLIENT_CERT_TLS_PORTS` | comma-separated local ports of HTTPS listeners read as a `source: 'tls'` profile (added to the others) |
 * | `CLIENT_CERT_TLS_PROFILE_NAME` | name of that profile (default `tls`) |
 * | `CLIENT_CERT_CA_FILES` | comma-separated PEM files of trust anchors (required) |
 * | `CLIENT_CERT_INTERMEDIATE_FILES` | comma-separated PEM files of intermediates |
 * | `CLIENT_CERT_REVOCATION_MODE` | `off`, `soft-fail` (default) or `hard-fail` |
 * | `CLIENT_CERT_CRL_FILES` / `CLIENT_CERT_CRL_URLS` | comma-separated CRL files / URLs |
 * | `CLIENT_CERT_CRL_REFRESH_SECONDS` | longest time between two CRL refreshes (default 3600) |
 * | `CLIENT_CERT_OCSP_RESPONDER_URL` | OCSP responder to ask instead of the certificates' AIA URL |
 * | `CLIENT_CERT_CLOCK_SKEW_SECONDS` | tolerated clock skew (default 60) |
 * | `CLIENT_CERT_SPIFFE_TRUST_DOMAINS` | JSON: trust domain -> `{ "anchors": [PEM file or sha256:<SPKI hex>] }` (`spiffe.trustDomains`) |
 *
 * @example
 * ClientCertAuthModule.forRootAsync({ inject: [ConfigService], useFactory: clientCertOptionsFromSettings })
 */
export function clientCertOptionsFromSettings(settings: SettingsReader): ClientCertAuthOptions {
  const read = (key: string) => {
    const value = settings.get<string>(key);
    return value === undefined || value === '' ? undefined : String(value);
  };
  const list = (key: string) =>
    read(key)
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);

  const caFiles = list('CLIENT_CERT_CA_FILES');
  if (!caFiles?.length) {
    throw new ClientCertOptionsError('CLIENT_CERT_CA_FILES', 'is not set', 'Set it to the PEM file(s) of the CA your client certificates chain to.');
  }
  const tls = readTlsProfile(read, list);
  const skew = read('CLIENT_CERT_CLOCK_SKEW_SECONDS');
  const trustDomains = readJson('CLIENT_CERT_SPIFFE_TRUST_DOMAINS', read('CLIENT_CERT_SPIFFE_TRUST_DOMAINS'), 'a JSON object');
  return {
    proxies: [...readProxies(read, list, tls !== undefined), ...(tls ? [tls] : [])],
    trustAnchors: { files: caFiles, intermediateFiles: list('CLIENT_CERT_INTERMEDIATE_FILES') },
    revocation: readRevocation(read, list),
    ...(skew !== undefined ? { validation: { clockSkewSeconds: Number(skew) } } : {}),
    ...(trustDomains !== undefined ? { spiffe: { trustDomains: trustDomains as Record<string, { anchors: string[] }> } } : {}),
  };
}

function readJson(key: string, json: string | undefined, what: string): unknown {
  if (json === undefined) return undefined;
  try {
    return JSON.parse(json);
  } catch (error) {
    throw new ClientCertOptionsError(key, `is not valid JSON (${(error as Error).message})`, `Give ${what}.`);
  }
}

function readRevocation(read: (key: string) => string | undefined, list: (key: string) => string[] | undefined): RevocationOptions {
  const files = list('CLIENT_CERT_CRL_FILES');
  const urls = list('CLIENT_CERT_CRL_URLS');
  const refresh = read('CLIENT_CERT_CRL_REFRESH_SECONDS');
  const responderUrl = read('CLIENT_CERT_OCSP_RESPONDER_URL');
  const crl = {
    ...(files ? { files } : {}),
    ...(urls ? { urls } : {}),
    ...(refresh !== undefined ? { refreshIntervalMs: Number(refresh) * 1000 } : {}),
  };
  return {
    mode: (read('CLIENT_CERT_REVOCATION_MODE') ?? 'soft-fail') as RevocationMode,
    ...(Object.keys(crl).length > 0 ? { crl } : {}),
    ...(responderUrl ? { ocsp: { responderUrl } } : {}),
  };
}

function readTlsProfile(read: (key: string) => string | undefined, list: (key: string) => string[] | undefined): TlsProfileOptions | undefined {
  const ports = list('CLIENT_CERT_TLS_PORTS');
  if (!ports?.length) return undefined;
  const numbers = ports.map(Number);
  if (numbers.some((port) => !Number.isInteger(port) || port < 1 || port > 65535)) {
    throw new ClientCertOptionsError(
      'CLIENT_CERT_TLS_PORTS',
      `is '${ports.join(',')}'`,
      'Give the port(s) of the HTTPS listener(s), comma-separated, e.g. 8443.',
    );
  }
  return { name: read('CLIENT_CERT_TLS_PROFILE_NAME') ?? 'tls', source: 'tls', ports: numbers };
}

/** @param optional a TLS profile is configured, so no header profile is needed. */
function readProxies(read: (key: string) => string | undefined, list: (key: string) => string[] | undefined, optional: boolean): ClientCertProfileOptions[] {
  const json = read('CLIENT_CERT_PROXIES');
  if (json !== undefined) {
    try {
      return JSON.parse(json) as ClientCertProfileOptions[];
    } catch (error) {
      throw new ClientCertOptionsError('CLIENT_CERT_PROXIES', `is not valid JSON (${(error as Error).message})`, 'Give a JSON array of proxy profiles.');
    }
  }
  const from = list('CLIENT_CERT_PROXY_FROM');
  if (!from?.length && optional) return [];
  if (!from?.length) {
    throw new ClientCertOptionsError(
      'CLIENT_CERT_PROXY_FROM',
      'is not set',
      'Set it to the address range(s) of the proxy that forwards certificates, e.g. 10.0.0.0/8.',
    );
  }
  const cert = read('CLIENT_CERT_HEADER');
  const chain = read('CLIENT_CERT_CHAIN_HEADER');
  return [
    {
      name: read('CLIENT_CERT_PROXY_NAME') ?? 'waf',
      from,
      format: (read('CLIENT_CERT_PROXY_FORMAT') ?? 'rfc9440') as ProxyProfileOptions['format'],
      ...(cert || chain ? { headers: { ...(cert ? { cert } : {}), ...(chain ? { chain } : {}) } } : {}),
    },
  ];
}
