import { startApache, APACHE_PEM } from './apache.proxy';
import { startCaddy, CADDY_BASE64_DER, CADDY_RFC9440_VERIFY_IF_GIVEN, CADDY_VERIFY_IF_GIVEN } from './caddy.proxy';
import { startHaproxy, HAPROXY_BASE64_DER, HAPROXY_RFC9440 } from './haproxy.proxy';
import { startNginx, NGINX_RFC9440, NGINX_URL_PEM } from './nginx.proxy';
import type { ProxyProcess } from './proxy.process';
import type { ProxyRecipe, ProxySite } from './proxy-recipe.types';

/** A proxy binary, how to start it, and the recipe it runs. */
export interface ProxyEntry {
  readonly binary: string;
  readonly recipe: ProxyRecipe;
  /** The sample's HTTP adapter behind the proxy. @default 'express' */
  readonly adapter?: 'express' | 'fastify';
  /**
   * The backend gets no intermediate CA: clients send their chain and only the chain the recipe
   * forwards can complete the path (proves the chain header is read, not just tolerated).
   */
  readonly chainOnly?: boolean;
  start(binary: string, site: ProxySite, recipe: ProxyRecipe): Promise<ProxyProcess>;
}

/** Every recipe of docs/PROXIES.md that runs on this machine (Debian packages nginx, haproxy, apache2, caddy). */
export const PROXY_ENTRIES: readonly ProxyEntry[] = [
  { binary: 'nginx', recipe: NGINX_URL_PEM, start: startNginx },
  { binary: 'nginx', recipe: NGINX_RFC9440, start: startNginx },
  { binary: 'haproxy', recipe: HAPROXY_BASE64_DER, start: startHaproxy },
  { binary: 'haproxy', recipe: HAPROXY_RFC9440, start: startHaproxy },
  { binary: 'apache2', recipe: APACHE_PEM, start: startApache },
  { binary: 'caddy', recipe: CADDY_BASE64_DER, start: startCaddy },
  { binary: 'caddy', recipe: CADDY_VERIFY_IF_GIVEN, start: startCaddy },
  { binary: 'caddy', recipe: CADDY_RFC9440_VERIFY_IF_GIVEN, start: startCaddy },
  // The module reads raw headers differently per adapter: two recipes also run on Fastify.
  { binary: 'haproxy', recipe: HAPROXY_BASE64_DER, start: startHaproxy, chainOnly: true },
  { binary: 'apache2', recipe: APACHE_PEM, start: startApache, chainOnly: true },
  { binary: 'nginx', recipe: NGINX_URL_PEM, start: startNginx, adapter: 'fastify' },
  { binary: 'apache2', recipe: APACHE_PEM, start: startApache, adapter: 'fastify' },
];
