import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startProxyProcess, type ProxyProcess } from './proxy.process';
import type { ProxyRecipe, ProxySite } from './proxy-recipe.types';

/** Caddy recipe of PROXIES.md: base64 DER in X-Client-Cert (the `caddy` preset), client auth required. */
export const CADDY_BASE64_DER: ProxyRecipe = {
  id: 'caddy base64-der',
  lines: ['header_up X-Client-Cert {http.request.tls.client.certificate_der_base64}'],
  profile: { preset: 'caddy' },
  certHeader: 'X-Client-Cert',
  forge: ({ der }) => [`X-Client-Cert: ${der.toString('base64')}`],
  optionalClientCert: false,
};

/**
 * The same recipe with `mode verify_if_given`: certificate-less clients reach the backend, and
 * Caddy 2.6 then forwards the unfilled placeholder text (replacing a forged copy), which the
 * module must read as "no certificate" (401).
 */
export const CADDY_VERIFY_IF_GIVEN: ProxyRecipe = {
  ...CADDY_BASE64_DER,
  id: 'caddy base64-der verify_if_given',
  optionalClientCert: true,
  sentinelWithoutCert: '{http.request.tls.client.certificate_der_base64}',
};

/**
 * Caddy forwarding RFC 9440 (`Client-Cert: :<base64 DER>:`) with `verify_if_given`: without a
 * client certificate the placeholder stays unfilled INSIDE the colons,
 * `:{http.request.tls.client.certificate_der_base64}:`, which must read as "no certificate" (401).
 */
export const CADDY_RFC9440_VERIFY_IF_GIVEN: ProxyRecipe = {
  id: 'caddy rfc9440 verify_if_given',
  // The rfc9440 profile also reads Client-Cert-Chain: Caddy sets no chain, so a client's copy is removed.
  lines: ['header_up Client-Cert :{http.request.tls.client.certificate_der_base64}:', 'header_up -Client-Cert-Chain'],
  profile: { format: 'rfc9440' },
  certHeader: 'Client-Cert',
  forge: ({ der }) => [`Client-Cert: :${der.toString('base64')}:`],
  optionalClientCert: true,
  sentinelWithoutCert: ':{http.request.tls.client.certificate_der_base64}:',
};

/**
 * Writes a Caddyfile (admin API and automatic HTTPS off, storage in `dir`) with `recipe` inside
 * each `reverse_proxy` block and starts `caddy run` in its own process group.
 */
export async function startCaddy(binary: string, site: ProxySite, recipe: ProxyRecipe): Promise<ProxyProcess> {
  const { dir, files } = site;
  mkdirSync(join(dir, 'xdg'), { recursive: true });
  const recipeBlock = recipe.lines.join('\n    ');
  const conf = `
# Written by test/interop: nothing here comes from /etc/caddy.
{
  admin off
  auto_https off
  storage file_system ${dir}/xdg/storage
}

# A host name, not an IP: with client_auth Caddy requires the Host to match the TLS name (SNI).
https://localhost:${site.port} {
  tls ${files.serverCert} ${files.serverKey} {
    client_auth {
      mode ${recipe.optionalClientCert ? 'verify_if_given' : 'require_and_verify'}
      # One file per CA: Caddy 2.6 reads only the first certificate of each file.
      trusted_ca_cert_file ${files.clientRootCa}
      trusted_ca_cert_file ${files.clientIntermediateCa}
    }
  }
  handle /echo* {
    reverse_proxy 127.0.0.1:${site.echoPort} {
      # --- recipe (docs/PROXIES.md) ---
      ${recipeBlock}
    }
  }
  handle {
    reverse_proxy 127.0.0.1:${site.backendPort} {
      # --- recipe (docs/PROXIES.md) ---
      ${recipeBlock}
    }
  }
}
`;
  const confFile = join(dir, 'Caddyfile');
  writeFileSync(confFile, conf);
  return startProxyProcess({
    name: 'caddy',
    command: binary,
    args: ['run', '--config', confFile, '--adapter', 'caddyfile'],
    port: site.port,
    dir,
    env: { HOME: dir, XDG_DATA_HOME: join(dir, 'xdg'), XDG_CONFIG_HOME: join(dir, 'xdg') },
  });
}
