import type { IncomingMessage } from 'node:http';
import type { AuthenticatedClient } from '../authentication/authenticated-client';
import { attachClientToSocket } from './socket-client.carrier';
import { socketRefusalOf } from './socket.refusal';
import type { SocketIoServerLike } from './socket.types';

/**
 * Authenticates every connection of a socket.io server (or namespace) in a middleware, on the
 * request of its handshake: the client is attached before the `connection` event (so
 * `handleConnection` already has it), and a refusal is the client's `connect_error`, whose
 * `message` is the code and `data` the HTTP refusal body `{ statusCode, error, code }`.
 */
export function protectSocketIoServer(server: SocketIoServerLike, authenticate: (request: IncomingMessage) => Promise<AuthenticatedClient>): void {
  server.use((socket, next) => {
    authenticate(socket.request).then(
      (client) => {
        attachClientToSocket(socket, client);
        next();
      },
      (error: unknown) => {
        const refusal = socketRefusalOf(error);
        next(Object.assign(new Error(refusal.code), { data: refusal }));
      },
    );
  });
}
