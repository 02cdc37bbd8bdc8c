import type { HeaderFormat } from '../header/header-format';
import type { ProxyPresetName } from '../header/presets/proxy-preset';

/**
 * Renames of the headers a profile reads. Every name the preset or format fills can be replaced.
 * Names compare case-insensitively; their `_` variants are never read (and are reported).
 *
 * @example { cert: 'X-Client-Cert', chain: 'X-Client-Cert-Chain' }
 */
export interface ProxyHeaderNames {
  /**
   * The leaf header (or the whole-chain header for ALB passthrough / XFCC).
   * @default the preset's name, else the format's (`Client-Cert`, `x-forwarded-client-cert`, `X-SSL-Client-Cert`, `X-Client-Cert-Leaf` for gcp)
   */
  cert?: string;
  /**
   * A chain header (rfc9440 `Client-Cert-Chain`, gcp, HAProxy `ssl_c_chain_der`, or more PEM blocks).
   * @default the preset's name; `Client-Cert-Chain` for rfc9440, `X-Client-Cert-Chain` for gcp, none otherwise
   * @example 'X-SSL-Client-Chain'
   */
  chain?: string;
  /**
   * pem only: prefix of Apache-style numbered chain headers, read as `<prefix>0`, `<prefix>1`, ...
   * @default none (the apache preset uses `X-SSL-Client-Cert-Chain-`)
   * @example 'X-SSL-Client-Cert-Chain-'
   */
  chainPrefix?: string;
  /**
   * gcp only: the `{client_cert_present}` header; `false` means "no certificate" (401).
   * @default 'X-Client-Cert-Present' in the gcp preset, none otherwise
   */
  present?: string;
  /**
   * A SHA-256 fingerprint of the leaf sent beside it (hex, with or without `:`, or base64 as GCP
   * sends it). It must match the parsed certificate, else HEADER_MALFORMED.
   * @default 'X-Client-Cert-Hash' in the gcp preset, none otherwise
   */
  fingerprint?: string;
  /**
   * The leaf's serial number in hex sent beside it (AWS ALB verify mode). It must match.
   * @default 'X-Amzn-Mtls-Clientcert-Serial-Number' in the aws-alb-verify preset, none otherwise
   */
  serial?: string;
}

/**
 * A header the proxy sets with its own verdict on the certificate. Required in ADDITION to the
 * module's validation, never instead of it. Absent or any other value: PROXY_VERDICT_FAILED (403).
 *
 * @example { header: 'X-SSL-Client-Verify', expect: 'SUCCESS' }
 */
export interface ProxyVerdictOptions {
  /** The header name. */
  header: string;
  /**
   * Accepted value(s), compared case-insensitively after trimming. `''` accepts an empty value.
   * @example ['SUCCESS']
   */
  expect: string | string[];
  /**
   * Treat an absent header as passing (GCP leaves `{client_cert_error}` empty; some proxies drop empty headers).
   * @default false
   */
  allowAbsent?: boolean;
}

/**
 * A shared secret the proxy adds in a header, compared in constant time. It proves the request
 * passed the proxy even when the network path cannot prove it alone.
 *
 * @example { header: 'X-Proxy-Secret', values: [process.env.PROXY_SECRET!] }
 */
export interface SharedSecretOptions {
  /** The header that carries the secret. */
  header: string;
  /**
   * Accepted secrets (several during a rotation), each at least 16 characters.
   * @example ['k3f9...long random...']
   */
  values: string[];
}

/**
 * An HMAC the proxy computes per request, hex or base64, over the method, the request target,
 * the timestamp, a per-request nonce and every header the profile reads (certificate, chain,
 * verdict and companion headers; an absent one is written as its name alone), one per line:
 * the exact text is in docs/PROXIES.md ("HMAC-signed forwarding") and `buildHmacMessage`.
 * `timestamp` is the exact value of `timestampHeader` (Unix seconds, a fraction allowed). Each
 * nonce is accepted once while its timestamp is within the clock skew; with several instances,
 * a shared `ReplayStore` (the PostgreSQL registry provides one) makes that hold across them.
 *
 * @example { header: 'X-Proxy-Mac', timestampHeader: 'X-Proxy-Time', nonceHeader: 'X-Proxy-Nonce', secrets: [process.env.PROXY_HMAC_KEY!] }
 */
export interface HmacOptions {
  /** The header that carries the MAC. */
  header: string;
  /** The header that carries the timestamp the MAC covers. */
  timestampHeader: string;
  /**
   * The header that carries the proxy's per-request nonce (16-128 characters of
   * `A-Z a-z 0-9 + / = . _ : -`, e.g. HAProxy `%[uuid]`), the key of replay detection.
   */
  nonceHeader: string;
  /** Keys (several during a rotation), each at least 32 characters. */
  secrets: string[];
  /**
   * @default 'sha256'
   */
  algorithm?: 'sha256' | 'sha384' | 'sha512';
  /**
   * Largest accepted difference between the timestamp and the backend's clock, in seconds.
   * @default 30
   */
  maxSkewSeconds?: number;
  /**
   * Most nonces the in-process replay store remembers (unused with a shared `ReplayStore`). When
   * full of unexpired ones, requests are refused with 503 (fail closed) until some expire; size
   * it above peak requests per second × 2 × maxSkewSeconds.
   * @default 200000
   */
  replayCacheSize?: number;
}

/**
 * A proxy the backend trusts to forward client certificates. A request is read through a
 * profile only when its source address is inside `from`; certificate headers from any other
 * peer are ignored and the request is refused with `SOURCE_UNTRUSTED`.
 *
 * @example { name: 'waf', from: ['10.0.0.0/8'], format: 'rfc9440' }
 * @example { name: 'edge', from: ['10.1.0.5'], preset: 'nginx', headers: { cert: 'X-Client-Cert' } }
 */
export interface ProxyProfileOptions {
  /** A short name that appears in logs, metrics and the principal. */
  name: string;
  /**
   * Where the certificate comes from: headers this proxy sets. `'tls'` is a `TlsProfileOptions`.
   * @default 'header'
   */
  source?: 'header';
  /**
   * CIDRs or single addresses (IPv4 and IPv6) of the proxy as the backend's socket sees it.
   * IPv4-mapped IPv6 peers (`::ffff:10.0.0.1`) match IPv4 ranges; other IPv6 forms that embed an
   * IPv4 address (IPv4-compatible `::10.0.0.1`, NAT64) do not. `0.0.0.0/0` and `::/0` are refused.
   * @example ['10.0.0.0/8', 'fd00::/8']
   */
  from: string[];
  /**
   * The header format this proxy sends. Required unless `preset` is given (then it must agree).
   * @example 'xfcc'
   */
  format?: HeaderFormat;
  /**
   * A known proxy: fills format, header names and verdict headers; everything can be overridden.
   * @default none
   * @example 'aws-alb-verify'
   */
  preset?: ProxyPresetName;
  /**
   * Header names, when the proxy uses other names than the preset's or the format's defaults.
   * Merged over the preset's names.
   * @default the preset's names, else the format's (`Client-Cert` / `Client-Cert-Chain` for rfc9440, `X-SSL-Client-Cert` for url-pem, pem, base64-der)
   */
  headers?: ProxyHeaderNames;
  /**
   * Verdict headers required in addition to the module's own validation. Replaces the preset's list
   * (give `[]` to require none).
   * @default the preset's verdicts, else none
   */
  verdicts?: ProxyVerdictOptions[];
  /**
   * xfcc only: the number of Envoy hops that write the header, starting with the one that
   * terminated the client's TLS. The header must hold exactly this many elements (one more can
   * only come from the client, or from a SAN that faked a `,`); the first one, the edge's, counts.
   * @default 1
   */
  xfccElementFromEnd?: number;
  /**
   * Which address is checked against `from`. 0: the TCP peer. n > 0: the peer must be in `hopsFrom`,
   * as must the n-1 right-most X-Forwarded-For entries; the n-th entry from the right is the address
   * checked against `from`.
   * @default 0
   * @example 1
   */
  trustedHops?: number;
  /**
   * CIDRs of the intermediaries between the certificate proxy and the backend (required when trustedHops > 0).
   * They only pass requests on: no profile's `from` may share an address with them (refused at
   * start-up), or a client that reaches such a hop directly would be read with headers it wrote.
   * @default none
   * @example ['10.9.0.0/24']
   */
  hopsFrom?: string[];
  /**
   * Constant-time shared-secret header check.
   * @default none
   */
  sharedSecret?: SharedSecretOptions;
  /**
   * Per-request HMAC check with bounded clock skew and replay detection.
   * @default none
   */
  hmac?: HmacOptions;
  /**
   * Caps for this profile, overriding the module-wide `limits`.
   * @default the module-wide limits (65536 bytes, 10 certificates)
   * @example { maxHeaderBytes: 32768, maxCertificates: 4 }
   */
  limits?: { maxHeaderBytes?: number; maxCertificates?: number };
}
