import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startProxyProcess, type ProxyProcess } from './proxy.process';
import type { ProxySite } from './proxy-recipe.types';

/**
 * The HMAC-signed HAProxy recipe of docs/PROXIES.md ("HMAC-signed forwarding"), for the `haproxy`
 * preset: HAProxy strips every header the profile reads, sets them from the TLS session, adds a
 * timestamp and a UUID nonce, then signs method, path and query, timestamp, nonce and the three
 * certificate headers (the bare names when the client sent no certificate) with its `hmac`
 * converter. The key comes from the environment (`CCA_HMAC_KEY`, base64 of the profile's secret).
 */
export const HAPROXY_HMAC_LINES: readonly string[] = [
  'http-request del-header X-SSL-Client-Cert',
  'http-request del-header X-SSL-Client-Chain',
  'http-request del-header X-SSL-Client-Verify',
  'http-request del-header X-Proxy-Time',
  'http-request del-header X-Proxy-Nonce',
  'http-request del-header X-Proxy-Mac',
  'http-request set-header X-SSL-Client-Cert %[ssl_c_der,base64] if { ssl_c_used }',
  'http-request set-header X-SSL-Client-Chain %[ssl_c_chain_der,base64] if { ssl_c_used }',
  'http-request set-header X-SSL-Client-Verify %[ssl_c_verify] if { ssl_c_used }',
  'http-request set-header X-Proxy-Time %[date]',
  'http-request set-header X-Proxy-Nonce %[uuid]',
  'http-request set-var-fmt(txn.cca_signed) "%[method]\\n%[pathq]\\n%[req.fhdr(X-Proxy-Time)]\\n%[req.fhdr(X-Proxy-Nonce)]\\nx-ssl-client-cert:%[req.fhdr(X-SSL-Client-Cert)]\\nx-ssl-client-chain:%[req.fhdr(X-SSL-Client-Chain)]\\nx-ssl-client-verify:%[req.fhdr(X-SSL-Client-Verify)]" if { ssl_c_used }',
  'http-request set-var-fmt(txn.cca_signed) "%[method]\\n%[pathq]\\n%[req.fhdr(X-Proxy-Time)]\\n%[req.fhdr(X-Proxy-Nonce)]\\nx-ssl-client-cert\\nx-ssl-client-chain\\nx-ssl-client-verify" unless { ssl_c_used }',
  'http-request set-header X-Proxy-Mac "%[var(txn.cca_signed),hmac(sha256,${CCA_HMAC_KEY}),hex]"',
];

/** The module profile (without name/from) that reads what the recipe forwards. */
export function haproxyHmacProfile(secret: string): Record<string, unknown> {
  return { preset: 'haproxy', hmac: { header: 'X-Proxy-Mac', timestampHeader: 'X-Proxy-Time', nonceHeader: 'X-Proxy-Nonce', secrets: [secret] } };
}

/**
 * HAProxy with the HMAC recipe in its TLS frontend. A request with `X-Interop-Route: echo` goes
 * to the echo server (the test sees the signed request exactly as the backend would, and can
 * replay it); everything else to the sample backend.
 */
export async function startHaproxyHmac(binary: string, site: ProxySite, secret: string): Promise<ProxyProcess> {
  const conf = `
# Written by test/interop: nothing here comes from /etc/haproxy.
global
  maxconn 256
  pidfile ${site.dir}/haproxy.pid

defaults
  mode http
  timeout connect 5s
  timeout client 15s
  timeout server 15s

frontend tls
  bind 127.0.0.1:${site.port} ssl crt ${site.files.serverCertAndKey} ca-file ${site.files.clientCa} verify optional

  # --- recipe (docs/PROXIES.md) ---
  ${HAPROXY_HMAC_LINES.join('\n  ')}
  # --- end of recipe ---

  use_backend echo if { req.hdr(X-Interop-Route) -m str echo }
  default_backend app

backend app
  server app 127.0.0.1:${site.backendPort}

backend echo
  server echo 127.0.0.1:${site.echoPort}
`;
  const confFile = join(site.dir, 'haproxy.cfg');
  writeFileSync(confFile, conf);
  return startProxyProcess({
    name: 'haproxy',
    command: binary,
    args: ['-db', '-f', confFile],
    port: site.port,
    dir: site.dir,
    env: { CCA_HMAC_KEY: Buffer.from(secret, 'utf8').toString('base64') },
  });
}
