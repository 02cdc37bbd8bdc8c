import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startProxyProcess, type ProxyProcess } from './proxy.process';
import type { ProxyRecipe, ProxySite } from './proxy-recipe.types';

/** nginx recipe of PROXIES.md: url-pem leaf plus nginx's own verdict (the `nginx` preset). */
export const NGINX_URL_PEM: ProxyRecipe = {
  id: 'nginx url-pem',
  lines: ['proxy_set_header X-SSL-Client-Cert $ssl_client_escaped_cert;', 'proxy_set_header X-SSL-Client-Verify $ssl_client_verify;'],
  profile: { preset: 'nginx' },
  certHeader: 'X-SSL-Client-Cert',
  forge: ({ pem }) => [`X-SSL-Client-Cert: ${encodeURIComponent(pem)}`, 'X-SSL-Client-Verify: SUCCESS'],
  optionalClientCert: true,
};

/**
 * nginx has no base64-DER variable, so the RFC 9440 recipe rebuilds it from the PEM lines of
 * `$ssl_client_raw_cert` (each PEM line is a slice of the base64 DER) with one anchored regex of
 * named captures: up to 48 lines, i.e. certificates up to 2304 bytes of DER. A larger certificate
 * does not match, the variable stays empty, the header is not sent and the backend answers 401.
 */
export function nginxRfc9440Map(maxLines = 48): string[] {
  const line = (i: number) => `(?<ccl${String(i).padStart(2, '0')}>[A-Za-z0-9+/=]+)\\n`;
  const rest = Array.from({ length: maxLines - 1 }, (_, k) => `(?:${line(k + 2)})?`).join('');
  const value = Array.from({ length: maxLines }, (_, k) => `$ccl${String(k + 1).padStart(2, '0')}`).join('');
  return [
    'map $ssl_client_raw_cert $client_cert_rfc9440 {',
    '  default "";',
    `  "~^-----BEGIN CERTIFICATE-----\\n${line(1)}${rest}-----END CERTIFICATE-----\\n?$" ":${value}:";`,
    '}',
  ];
}

/** nginx recipe of PROXIES.md for RFC 9440 (`Client-Cert: :<base64 DER>:`), built with nginx alone. */
export const NGINX_RFC9440: ProxyRecipe = {
  id: 'nginx rfc9440',
  outerLines: nginxRfc9440Map(),
  lines: ['proxy_set_header Client-Cert $client_cert_rfc9440;', 'proxy_set_header Client-Cert-Chain "";'],
  profile: { format: 'rfc9440' },
  certHeader: 'Client-Cert',
  forge: ({ der }) => [`Client-Cert: :${der.toString('base64')}:`],
  optionalClientCert: true,
};

/**
 * Writes an nginx.conf for `site` with `recipe` at server level (inherited by both locations,
 * which set no headers of their own) and starts `nginx -g 'daemon off;'` in its own process group.
 */
export async function startNginx(binary: string, site: ProxySite, recipe: ProxyRecipe): Promise<ProxyProcess> {
  const { dir, files } = site;
  for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, 'tmp', sub), { recursive: true });
  const conf = `
# Written by test/interop: nothing here comes from /etc/nginx.
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  ${(recipe.outerLines ?? []).join('\n  ')}
  server {
    listen 127.0.0.1:${site.port} ssl;
    ssl_certificate ${files.serverCert};
    ssl_certificate_key ${files.serverKey};
    ssl_client_certificate ${files.clientCa};
    ssl_verify_client optional;
    ssl_verify_depth 2;

    # --- recipe (docs/PROXIES.md) ---
    ${recipe.lines.join('\n    ')}
    # --- end of recipe ---

    location /echo { proxy_pass http://127.0.0.1:${site.echoPort}; }
    location / { proxy_pass http://127.0.0.1:${site.backendPort}; }
  }
}
`;
  const confFile = join(dir, 'nginx.conf');
  writeFileSync(confFile, conf);
  // `user` is left out: as root nginx's workers run as nobody, which needs none of these files.
  return startProxyProcess({ name: 'nginx', command: binary, args: ['-p', dir, '-c', confFile, '-g', 'daemon off;'], port: site.port, dir });
}
