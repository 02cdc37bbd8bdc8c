import type { IncomingMessage } from 'node:http';
import type { ForwardedRequest } from '../header/forwarded-request';
import type { AuthenticatedClient } from './authenticated-client';

/** The request object Nest hands to guards: Express's `req` or Fastify's `request`. */
export interface HttpRequestLike {
  raw?: IncomingMessage;
  rawHeaders?: string[];
  socket?: { remoteAddress?: string };
  clientCert?: AuthenticatedClient;
  user?: unknown;
}

/**
 * Both adapters expose Node's IncomingMessage: Express as the request itself, Fastify as
 * `request.raw`. Reading the socket and raw headers from it works the same on both.
 */
export function toForwardedRequest(request: HttpRequestLike): ForwardedRequest {
  const message = (request.raw ?? request) as IncomingMessage;
  return { rawHeaders: message.rawHeaders ?? [], remoteAddress: message.socket?.remoteAddress };
}

/** Where the result lives on the request, for the parameter decorators. */
export function attachClient(request: HttpRequestLike, client: AuthenticatedClient): void {
  request.clientCert = client;
  request.user = client;
}

export function readClient(request: HttpRequestLike): AuthenticatedClient | undefined {
  return request.clientCert ?? (isAuthenticatedClient(request.user) ? request.user : undefined);
}

function isAuthenticatedClient(value: unknown): value is AuthenticatedClient {
  return typeof value === 'object' && value !== null && 'principal' in value && 'account' in value;
}
