import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { HttpAdapterName } from '../sample.app';

export interface TlsListenerOptions {
  readonly port: number;
  readonly host: string;
  /** The server's certificate, followed by the intermediates it sends (PEM). */
  readonly certFile: string;
  readonly keyFile: string;
}

type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * The app's own request handler, to serve a second listener with the same routes, guards and
 * modules. Express's app is a `(req, res)` function; Fastify's `routing` is the handler its own
 * server runs (so its hooks and plugins apply), usable once the app is ready.
 */
function requestHandlerOf(app: INestApplication, adapter: HttpAdapterName): RequestHandler {
  const instance: unknown = app.getHttpAdapter().getInstance();
  if (adapter === 'fastify') {
    const fastify = instance as { routing: RequestHandler };
    return (request, response) => fastify.routing(request, response);
  }
  return instance as RequestHandler;
}

/**
 * Opens an HTTPS listener that asks every client for a certificate, served by the same Nest app
 * as the plain listener. `ClientCertAuthModule` reads requests on this port through its
 * `source: 'tls'` profile (`CLIENT_CERT_TLS_PORTS`): the certificate comes from the connection,
 * never from a header. Call it after `app.listen()`: when the app's own server closes
 * (`app.close()`), this listener closes too.
 *
 * `requestCert: true` makes the server ask for the certificate. `rejectUnauthorized: false` keeps
 * the connection when Node's own check fails (no certificate, unknown CA): the module decides
 * instead, through the same validation, revocation and registry steps as forwarded certificates,
 * and answers with its stable codes (401 CERT_MISSING, 403 CERT_UNTRUSTED...) rather than a
 * handshake that fails with no explanation. No `ca` is given: which CAs count is the module's
 * trust-anchor setting, in one place.
 */
export async function listenTls(app: INestApplication, adapter: HttpAdapterName, options: TlsListenerOptions): Promise<Server> {
  // On a port no TLS profile owns, requests would be read through the header profiles instead.
  const ports = (app.get(ConfigService).get<string>('CLIENT_CERT_TLS_PORTS') ?? '').split(',').map((port) => Number(port.trim()));
  if (!ports.includes(options.port)) {
    throw new Error(`The HTTPS listener on port ${options.port} has no TLS profile: add it to CLIENT_CERT_TLS_PORTS (now '${ports.join(',')}').`);
  }
  const server = createServer(
    { cert: readFileSync(options.certFile), key: readFileSync(options.keyFile), requestCert: true, rejectUnauthorized: false },
    requestHandlerOf(app, adapter),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Nest closes its own server on app.close() (the app object is a proxy: its close cannot be
  // wrapped); this listener follows it, keep-alive connections included.
  app.getHttpServer().once('close', () => {
    server.closeAllConnections();
    server.close();
  });
  return server;
}
