import type { ProxyPreset } from './proxy-preset';

/** Self-run proxies and service meshes, with the recipes the docs give. */
export const SERVER_PRESETS: readonly ProxyPreset[] = [
  {
    name: 'envoy',
    description: 'Envoy x-forwarded-client-cert (SANITIZE_SET at the edge, cert and chain details on)',
    format: 'xfcc',
    headers: { cert: 'x-forwarded-client-cert' },
    verdicts: [],
    forwardsUnvalidated: false,
  },
  {
    name: 'istio',
    description: 'Istio ingress gateway x-forwarded-client-cert',
    format: 'xfcc',
    headers: { cert: 'x-forwarded-client-cert' },
    verdicts: [],
    forwardsUnvalidated: false,
  },
  {
    name: 'nginx',
    description: 'nginx: X-SSL-Client-Cert $ssl_client_escaped_cert, X-SSL-Client-Verify $ssl_client_verify',
    format: 'url-pem',
    headers: { cert: 'X-SSL-Client-Cert' },
    verdicts: [{ header: 'X-SSL-Client-Verify', expect: 'SUCCESS' }],
    forwardsUnvalidated: false,
  },
  {
    name: 'haproxy',
    description: 'HAProxy: X-SSL-Client-Cert %[ssl_c_der,base64], X-SSL-Client-Chain %[ssl_c_chain_der,base64], X-SSL-Client-Verify %[ssl_c_verify]',
    format: 'base64-der',
    headers: { cert: 'X-SSL-Client-Cert', chain: 'X-SSL-Client-Chain' },
    verdicts: [{ header: 'X-SSL-Client-Verify', expect: '0' }],
    forwardsUnvalidated: false,
  },
  {
    name: 'apache',
    description: 'Apache mod_ssl: X-SSL-Client-Cert %{SSL_CLIENT_CERT}s, X-SSL-Client-Cert-Chain-N, X-SSL-Client-Verify %{SSL_CLIENT_VERIFY}s',
    format: 'pem',
    headers: { cert: 'X-SSL-Client-Cert', chainPrefix: 'X-SSL-Client-Cert-Chain-' },
    verdicts: [{ header: 'X-SSL-Client-Verify', expect: 'SUCCESS' }],
    forwardsUnvalidated: false,
  },
  {
    name: 'caddy',
    description: 'Caddy: X-Client-Cert {http.request.tls.client.certificate_der_base64}',
    format: 'base64-der',
    headers: { cert: 'X-Client-Cert' },
    verdicts: [],
    forwardsUnvalidated: false,
  },
  {
    name: 'traefik',
    description: 'Traefik >= 2.9.4 passTLSClientCert pem: X-Forwarded-Tls-Client-Cert, base64 DER joined by ","',
    format: 'base64-der',
    headers: { cert: 'X-Forwarded-Tls-Client-Cert' },
    verdicts: [],
    forwardsUnvalidated: false,
    certHeaderHoldsChain: true,
  },
];
