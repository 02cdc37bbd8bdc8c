import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startProxyProcess, type ProxyProcess } from './proxy.process';
import type { ProxyRecipe, ProxySite } from './proxy-recipe.types';

/** HAProxy recipe of PROXIES.md: base64 DER leaf plus HAProxy's verdict (the `haproxy` preset). */
export const HAPROXY_BASE64_DER: ProxyRecipe = {
  id: 'haproxy base64-der',
  lines: [
    'http-request del-header X-SSL-Client-Cert',
    'http-request del-header X-SSL-Client-Chain',
    'http-request del-header X-SSL-Client-Verify',
    'http-request set-header X-SSL-Client-Cert %[ssl_c_der,base64] if { ssl_c_used }',
    'http-request set-header X-SSL-Client-Chain %[ssl_c_chain_der,base64] if { ssl_c_used }',
    'http-request set-header X-SSL-Client-Verify %[ssl_c_verify] if { ssl_c_used }',
  ],
  profile: { preset: 'haproxy' },
  certHeader: 'X-SSL-Client-Cert',
  chainHeader: 'X-SSL-Client-Chain',
  forge: ({ der }) => [`X-SSL-Client-Cert: ${der.toString('base64')}`, 'X-SSL-Client-Verify: 0'],
  optionalClientCert: true,
};

/** HAProxy recipe of PROXIES.md for RFC 9440: `Client-Cert: :<base64 DER>:`. */
export const HAPROXY_RFC9440: ProxyRecipe = {
  id: 'haproxy rfc9440',
  lines: [
    'http-request del-header Client-Cert',
    'http-request del-header Client-Cert-Chain',
    'http-request set-header Client-Cert :%[ssl_c_der,base64]: if { ssl_c_used }',
  ],
  profile: { format: 'rfc9440' },
  certHeader: 'Client-Cert',
  forge: ({ der }) => [`Client-Cert: :${der.toString('base64')}:`],
  optionalClientCert: true,
};

/** Writes a haproxy.cfg with `recipe` in the TLS frontend and starts `haproxy -db` in its own process group. */
export async function startHaproxy(binary: string, site: ProxySite, recipe: ProxyRecipe): Promise<ProxyProcess> {
  const { dir, files } = site;
  const conf = `
# Written by test/interop: nothing here comes from /etc/haproxy.
global
  maxconn 256
  pidfile ${dir}/haproxy.pid

defaults
  mode http
  timeout connect 5s
  timeout client 15s
  timeout server 15s

frontend tls
  bind 127.0.0.1:${site.port} ssl crt ${files.serverCertAndKey} ca-file ${files.clientCa} verify optional

  # --- recipe (docs/PROXIES.md) ---
  ${recipe.lines.join('\n  ')}
  # --- end of recipe ---

  use_backend echo if { path_beg /echo }
  default_backend app

backend app
  server app 127.0.0.1:${site.backendPort}

backend echo
  server echo 127.0.0.1:${site.echoPort}
`;
  const confFile = join(dir, 'haproxy.cfg');
  writeFileSync(confFile, conf);
  return startProxyProcess({ name: 'haproxy', command: binary, args: ['-db', '-f', confFile], port: site.port, dir });
}
