import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createDevPki, writeDevPki } from '@client-cert-auth/dev-pki';

/** The two dev clients: one enrolled in the registry on first start, one never enrolled. */
export const DEV_CLIENTS = [
  { name: 'registered', subject: 'CN=registered-client,O=Sample Clients', uri: 'spiffe://dev.local/orders-client' },
  { name: 'unregistered', subject: 'CN=unregistered-client,O=Sample Clients', uri: 'spiffe://dev.local/stranger' },
] as const;

export interface DevEnvironment {
  readonly dir: string;
  readonly settings: Record<string, string>;
}

/**
 * With no CA configured, the sample runs on a dev PKI under `<dataDir>/dev-pki` (made on first
 * start, reused after; with a server certificate for the HTTPS listener of `TLS_PORT`), trusts only loopback as its "proxy", and keeps its registry in SQLite.
 * Returns undefined when the operator configured a real CA.
 */
export function prepareDevEnvironment(env: NodeJS.ProcessEnv): DevEnvironment | undefined {
  if (env.CLIENT_CERT_CA_FILES) return undefined;
  const dataDir = resolve(env.DATA_DIR ?? 'data');
  const dir = join(dataDir, 'dev-pki');
  // A dev PKI from before the HTTPS listener has no server certificate: made anew (the registered
  // client is bound by its SAN URI, which stays the same).
  if (!existsSync(join(dir, 'root.pem')) || !existsSync(join(dir, 'server.pem'))) {
    const pki = createDevPki({
      clients: DEV_CLIENTS.map((c) => ({ name: c.name, subject: c.subject, san: { uri: [c.uri] } })),
      server: true,
    });
    writeDevPki(dir, pki);
    for (const client of DEV_CLIENTS) {
      // A ready-to-send RFC 9440 header line, so the printed curl commands need no tooling.
      writeFileSync(join(dir, `${client.name}.header`), `Client-Cert: :${pki.clients[client.name].der.toString('base64')}:\n`);
    }
  }
  mkdirSync(dataDir, { recursive: true });
  return {
    dir,
    settings: {
      CLIENT_CERT_CA_FILES: join(dir, 'root.pem'),
      CLIENT_CERT_INTERMEDIATE_FILES: join(dir, 'intermediate.pem'),
      CLIENT_CERT_PROXY_NAME: 'dev-loopback',
      CLIENT_CERT_PROXY_FROM: '127.0.0.1/32,::1/128',
      CLIENT_CERT_PROXY_FORMAT: 'rfc9440',
      CLIENT_CERT_REVOCATION_MODE: 'off',
      CLIENT_CERT_DATABASE_URL: env.CLIENT_CERT_DATABASE_URL ?? `sqlite:${join(dataDir, 'registry.sqlite')}`,
    },
  };
}

export function readDevCertificate(dev: DevEnvironment, name: string): string {
  return readFileSync(join(dev.dir, `${name}.pem`), 'utf8');
}
