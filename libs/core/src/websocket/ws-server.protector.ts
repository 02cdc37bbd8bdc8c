import type { IncomingMessage } from 'node:http';
import type { AuthenticatedClient } from '../authentication/authenticated-client';
import type { ClientCertErrorBody } from '../guards/http-error.mapper';
import { attachClientToSocket } from './socket-client.carrier';
import { socketRefusalOf, wsCloseCodeFor } from './socket.refusal';
import type { WsServerLike, WsVerifyClient } from './socket.types';

type Decision = { readonly client: AuthenticatedClient } | { readonly refusal: ClientCertErrorBody };

/**
 * Authenticates every connection of a `ws` server during its upgrade, before the socket opens:
 * `verifyClient` runs the pipeline on the upgrade request (ws waits for it), and the first
 * `connection` listener either attaches the client to the socket or closes it with 4000 + the
 * HTTP status and the code as reason. Closing (rather than refusing the upgrade with an HTTP
 * status) is what a browser can see: its WebSocket API hides the status of a refused upgrade.
 * An application `verifyClient` already set on the server still runs first.
 */
export function protectWsServer(server: WsServerLike, authenticate: (request: IncomingMessage) => Promise<AuthenticatedClient>): void {
  // Keyed by the upgrade request: ws hands the same object to `verifyClient` and `connection`.
  const decisions = new WeakMap<IncomingMessage, Decision>();
  const previous = server.options.verifyClient;
  const verifyClient: WsVerifyClient = (info, done) =>
    runPrevious(previous, info, (verified, ...refusal) => {
      if (!verified) return done(false, ...refusal);
      // Always let the upgrade complete: a refusal becomes the close code on `connection`.
      authenticate(info.req)
        .then(
          (client) => decisions.set(info.req, { client }),
          (error: unknown) => decisions.set(info.req, { refusal: socketRefusalOf(error) }),
        )
        .then(() => done(true));
    });
  // ws reads `options.verifyClient` on every upgrade, so installing it after construction (in
  // afterInit, where Nest hands the server over) takes effect for every connection.
  server.options.verifyClient = verifyClient;

  server.prependListener('connection', (socket, request) => {
    const decision = decisions.get(request) ?? { refusal: socketRefusalOf(new Error('ws connection without a handshake decision')) };
    decisions.delete(request);
    if ('client' in decision) attachClientToSocket(socket, decision.client);
    else socket.close(wsCloseCodeFor(decision.refusal.code), decision.refusal.code);
  });
}

function runPrevious(previous: WsServerLike['options']['verifyClient'], info: Parameters<WsVerifyClient>[0], next: Parameters<WsVerifyClient>[1]): void {
  if (!previous) return next(true);
  if (previous.length >= 2) return (previous as WsVerifyClient)(info, next);
  return (previous as (i: typeof info) => boolean)(info) ? next(true) : next(false, 401);
}
