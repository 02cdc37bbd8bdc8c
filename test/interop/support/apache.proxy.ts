import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startProxyProcess, type ProxyProcess } from './proxy.process';
import type { ProxyRecipe, ProxySite } from './proxy-recipe.types';

/**
 * Apache mod_ssl + mod_headers recipe of PROXIES.md (the `apache` preset: PEM with spaces, verdict
 * header). Every numbered chain header the module reads (`-0` to `-9`, one per certificate of
 * `limits.maxCertificates`) is unset, also those the recipe never sets: a client's copy would
 * otherwise reach the backend as the rest of the chain.
 */
export const APACHE_PEM: ProxyRecipe = {
  id: 'apache pem',
  lines: [
    'RequestHeader unset X-SSL-Client-Cert early',
    'RequestHeader unset X-SSL-Client-Cert-Chain-0 early',
    'RequestHeader unset X-SSL-Client-Cert-Chain-1 early',
    'RequestHeader unset X-SSL-Client-Cert-Chain-2 early',
    'RequestHeader unset X-SSL-Client-Cert-Chain-3 early',
    'RequestHeader unset X-SSL-Client-Cert-Chain-4 early',
    'RequestHeader unset X-SSL-Client-Cert-Chain-5 early',
    'RequestHeader unset X-SSL-Client-Cert-Chain-6 early',
    'RequestHeader unset X-SSL-Client-Cert-Chain-7 early',
    'RequestHeader unset X-SSL-Client-Cert-Chain-8 early',
    'RequestHeader unset X-SSL-Client-Cert-Chain-9 early',
    'RequestHeader unset X-SSL-Client-Verify early',
    'RequestHeader set X-SSL-Client-Cert "%{SSL_CLIENT_CERT}s" "expr=-n %{SSL_CLIENT_CERT}"',
    'RequestHeader set X-SSL-Client-Cert-Chain-0 "%{SSL_CLIENT_CERT_CHAIN_0}s" "expr=-n %{SSL_CLIENT_CERT_CHAIN_0}"',
    'RequestHeader set X-SSL-Client-Verify "%{SSL_CLIENT_VERIFY}s"',
  ],
  profile: { preset: 'apache' },
  certHeader: 'X-SSL-Client-Cert',
  chainHeader: 'X-SSL-Client-Cert-Chain-0',
  // What mod_headers makes of a PEM: its line breaks become spaces.
  forge: ({ pem }) => [`X-SSL-Client-Cert: ${pem.trim().replace(/\r?\n/g, ' ')}`, 'X-SSL-Client-Verify: SUCCESS'],
  optionalClientCert: true,
};

const MODULES = ['mpm_event', 'authz_core', 'ssl', 'socache_shmcb', 'headers', 'proxy', 'proxy_http'];

/** Writes an httpd.conf with `recipe` in the TLS virtual host and starts `apache2 -DFOREGROUND` in its own process group. */
export async function startApache(binary: string, site: ProxySite, recipe: ProxyRecipe): Promise<ProxyProcess> {
  const { dir, files } = site;
  const runAs = process.getuid?.() === 0 ? 'User nobody\nGroup nogroup' : '';
  const conf = `
# Written by test/interop: nothing here comes from /etc/apache2.
ServerRoot ${dir}
ServerName 127.0.0.1
DefaultRuntimeDir ${dir}
PidFile ${dir}/apache.pid
ErrorLog ${dir}/apache-error.log
LogLevel warn
Mutex file:${dir} default
${MODULES.map((m) => `LoadModule ${m}_module /usr/lib/apache2/modules/mod_${m}.so`).join('\n')}
${runAs}
Listen 127.0.0.1:${site.port}
SSLSessionCache shmcb:${dir}/ssl_scache(64000)

<VirtualHost 127.0.0.1:${site.port}>
  SSLEngine on
  SSLCertificateFile ${files.serverCert}
  SSLCertificateKeyFile ${files.serverKey}
  SSLCACertificateFile ${files.clientCa}
  SSLVerifyClient optional
  SSLVerifyDepth 2

  # --- recipe (docs/PROXIES.md) ---
  ${recipe.lines.join('\n  ')}
  # --- end of recipe ---

  ProxyPass /echo http://127.0.0.1:${site.echoPort}/echo
  ProxyPass / http://127.0.0.1:${site.backendPort}/
</VirtualHost>
`;
  const confFile = join(dir, 'httpd.conf');
  writeFileSync(confFile, conf);
  return startProxyProcess({ name: 'apache2', command: binary, args: ['-f', confFile, '-DFOREGROUND'], port: site.port, dir });
}
