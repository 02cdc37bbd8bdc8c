import type { AuthenticatedClient } from '../authentication/authenticated-client';
import { attachClient, type HttpRequestLike, type HttpResponseLike } from '../authentication/request.adapter';

/**
 * A socket carries its connection's client the way a Fastify request does (under the module's
 * private symbol; a socket has no `setHeader`, so `attachClient` never takes it for an Express
 * response): `clientCertOf(socket)` then finds it, and so do the guard and the decorators.
 */
export function attachClientToSocket(socket: object, client: AuthenticatedClient): void {
  attachClient(socket as HttpRequestLike, socket as HttpResponseLike, client);
}
