import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';

/*
 * The few members this module uses of the `ws` and socket.io servers, typed here so the core
 * package needs neither installed (an app that has no gateway loads none of them).
 */

/** ws's `verifyClient` hook, in its asynchronous form (the one this module installs). */
export type WsVerifyClient = (
  info: { readonly origin: string; readonly secure: boolean; readonly req: IncomingMessage },
  done: (verified: boolean, code?: number, message?: string, headers?: OutgoingHttpHeaders) => void,
) => void;

/** A `ws` WebSocketServer (what the `ws` adapter of @nestjs/platform-ws creates per gateway path). */
export interface WsServerLike {
  readonly options: { verifyClient?: WsVerifyClient | ((info: Parameters<WsVerifyClient>[0]) => boolean) | null };
  handleUpgrade(...args: never[]): unknown;
  prependListener(event: 'connection', listener: (socket: WsSocketLike, request: IncomingMessage) => void): unknown;
}

/** A `ws` WebSocket (the client object of a `ws` gateway). */
export interface WsSocketLike {
  close(code?: number, reason?: string): void;
}

/** A socket.io Server or Namespace (what the socket.io adapter of @nestjs/platform-socket.io creates). */
export interface SocketIoServerLike {
  use(middleware: (socket: SocketIoSocketLike, next: (error?: Error) => void) => void): unknown;
}

/** A socket.io Socket: `request` is the HTTP request of its handshake. */
export interface SocketIoSocketLike {
  readonly request: IncomingMessage;
}

export function isWsServer(server: unknown): server is WsServerLike {
  const candidate = server as Partial<WsServerLike> | null;
  return typeof candidate?.handleUpgrade === 'function' && typeof candidate.options === 'object' && typeof candidate.prependListener === 'function';
}

export function isSocketIoServer(server: unknown): server is SocketIoServerLike {
  return typeof (server as Partial<SocketIoServerLike> | null)?.use === 'function';
}
