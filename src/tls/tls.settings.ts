import { join } from 'node:path';
import type { DevEnvironment } from '../dev/dev-pki.setup';
import type { TlsListenerOptions } from './tls.listener';

/**
 * The HTTPS listener's settings: `TLS_PORT` turns it on; the server certificate is the dev
 * PKI's (`server.pem`, `server.key.pem`) or, with an operator's CA, `TLS_CERT_FILE` and
 * `TLS_KEY_FILE`. Also makes `CLIENT_CERT_TLS_PORTS` name the port, so the module reads its
 * requests through a `source: 'tls'` profile. `undefined`: no TLS listener.
 * @throws Error a bad port or missing certificate files, with the fix.
 */
export function tlsListenerSettings(env: NodeJS.ProcessEnv, dev: DevEnvironment | undefined): TlsListenerOptions | undefined {
  if (!env.TLS_PORT) return undefined;
  const port = Number(env.TLS_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`TLS_PORT is '${env.TLS_PORT}': give a port from 1 to 65535.`);
  const certFile = env.TLS_CERT_FILE ?? (dev ? join(dev.dir, 'server.pem') : undefined);
  const keyFile = env.TLS_KEY_FILE ?? (dev ? join(dev.dir, 'server.key.pem') : undefined);
  if (!certFile || !keyFile) {
    throw new Error('TLS_PORT is set with your own CA (CLIENT_CERT_CA_FILES): also set TLS_CERT_FILE and TLS_KEY_FILE, the HTTPS server certificate and key.');
  }
  env.CLIENT_CERT_TLS_PORTS ??= String(port);
  return { port, host: env.HOST ?? '127.0.0.1', certFile, keyFile };
}
