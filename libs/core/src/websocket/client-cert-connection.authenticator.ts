import type { IncomingMessage } from 'node:http';
import { Injectable } from '@nestjs/common';
import type { AuthenticatedClient } from '../authentication/authenticated-client';
import { ClientCertAuthenticator } from '../authentication/client-cert.authenticator';
import { toForwardedRequest, type HttpRequestLike } from '../authentication/request.adapter';
import { protectSocketIoServer } from './socket-io.protector';
import { isSocketIoServer, isWsServer } from './socket.types';
import { protectWsServer } from './ws-server.protector';

/**
 * Authenticates the connections of a WebSocket gateway by the client certificate of their
 * handshake: the upgrade (`ws`) or handshake (socket.io) request goes through the same source
 * trust, extraction, validation, revocation and registry steps as an HTTP request, once per
 * connection. An accepted connection carries its client (`clientCertOf(socket)`, and
 * `ClientCertGuard`, `@ClientCert()`, `@ClientAccount()`, `@RequireClientRoles()` on its
 * `@SubscribeMessage` handlers, with no new validation per message); a refused one is closed
 * with `4000 + HTTP status` and the code as reason (`ws`), or gets a `connect_error` whose
 * `data.code` is the code (socket.io).
 *
 * @example
 * @WebSocketGateway({ path: '/ws' })
 * export class EventsGateway implements OnGatewayInit, OnGatewayConnection {
 *   constructor(private readonly connections: ClientCertConnectionAuthenticator) {}
 *   afterInit(server: unknown) { this.connections.protect(server); }
 *   handleConnection(socket: WebSocket) { const client = clientCertOf(socket); ... }
 *   @UseGuards(ClientCertGuard) @RequireClientRoles('orders:read') @SubscribeMessage('orders')
 *   orders(@ClientAccount() account: ClientAccount) { ... }
 * }
 */
@Injectable()
export class ClientCertConnectionAuthenticator {
  private readonly protectedServers = new WeakSet<object>();

  constructor(private readonly authenticator: ClientCertAuthenticator) {}

  /**
   * Authenticates every later connection of `server`: the `ws` WebSocketServer or the socket.io
   * Server or Namespace that Nest hands to `afterInit`. Call it once per server (again: no-op).
   * @throws TypeError when `server` is neither (an adapter this module does not know).
   */
  protect(server: unknown): void {
    if (this.protectedServers.has(server as object)) return;
    const authenticate = (request: IncomingMessage) => this.authenticateHandshake(request);
    if (isWsServer(server)) protectWsServer(server, authenticate);
    else if (isSocketIoServer(server)) protectSocketIoServer(server, authenticate);
    else {
      throw new TypeError(
        'ClientCertConnectionAuthenticator.protect() needs the ws WebSocketServer or socket.io Server that Nest passes to afterInit(server); for another adapter, call authenticateHandshake(request) from it.',
      );
    }
    this.protectedServers.add(server as object);
  }

  /**
   * The pipeline on one handshake request, for adapters `protect` does not know.
   * @throws ClientCertError on every refusal (its `code` is the stable code).
   */
  async authenticateHandshake(request: IncomingMessage): Promise<AuthenticatedClient> {
    return this.authenticator.authenticate(toForwardedRequest(request as HttpRequestLike));
  }
}
