import type { ExecutionContext, HttpException } from '@nestjs/common';
import type { HttpRequestLike, HttpResponseLike } from '../authentication/request.adapter';
import { toGraphQLRefusal } from './graphql-error.mapper';
import { toHttpException } from './http-error.mapper';

/** How the request reached its handler: decides where the certificate is read and how a refusal is shown. */
export type ClientCertTransport = 'http' | 'graphql';

/** The HTTP exchange behind an execution context, whatever kind of handler it runs. */
export interface ContextRequest {
  readonly transport: ClientCertTransport;
  /** Express's `req` or Fastify's `request`: the forwarded certificate is in its headers. */
  readonly request: HttpRequestLike;
  /** Where the guard sets `no-store` and hints; `undefined` when the context exposes none (Apollo on Fastify). */
  readonly response: HttpResponseLike | undefined;
  /** What this transport shows the client for a refusal (`toHttpException`'s): the HTTP error itself, a GraphQL error. */
  readonly refuse: (exception: HttpException) => Error;
}

const asItIs = (exception: HttpException): HttpException => exception;

/**
 * A guard or decorator on a handler kind this module cannot read a certificate from (an RPC
 * controller, a gateway without a transport case below): a wiring mistake, refused, never let through.
 */
export class UnsupportedContextError extends Error {
  override readonly name = 'UnsupportedContextError';

  constructor(
    message: string,
    /** The form of the refusal, when the transport is known (a GraphQL context without a request). */
    readonly refuse: (exception: HttpException) => Error = asItIs,
  ) {
    super(message);
  }
}

/**
 * What a guard or decorator throws when `requestOfContext` failed: AUTH_INTERNAL_ERROR (503),
 * logged with the message that says how to fix the wiring, in the transport's form if known.
 */
export function unreadableContextRefusal(error: unknown): Error {
  const exception = toHttpException(error);
  return error instanceof UnsupportedContextError ? error.refuse(exception) : exception;
}

/**
 * The one place that knows, per `context.getType()`, where the HTTP request of a handler is.
 * `getType()` is read once; `http` comes first and reads the arguments directly, as the warm
 * path always did (`switchToHttp()` builds three closures per call).
 * WebSocket gateways (`ws`) never come here: their messages carry no request, the guard and the
 * decorators read the client decided at the connection's handshake (websocket/).
 *
 * @throws UnsupportedContextError for any other context type, or a GraphQL context without a request.
 */
export function requestOfContext(context: ExecutionContext, type: string = context.getType()): ContextRequest {
  if (type === 'http') {
    return { transport: 'http', request: context.getArgByIndex(0), response: context.getArgByIndex(1), refuse: asItIs };
  }
  if (type === 'graphql') return graphqlRequest(context.getArgByIndex(2));
  throw new UnsupportedContextError(
    `ClientCertGuard cannot read a client certificate in a '${type}' context (it reads HTTP requests, GraphQL operations over HTTP and protected WebSocket gateways): remove the guard or @ClientCert()/@ClientAccount() from this handler.`,
  );
}

/**
 * A resolver's GraphQL context (its third argument), as @nestjs/graphql's drivers build it:
 * Apollo on Express `{ req }` (Express links `req.res`), Mercurius `{ req, reply }`, Apollo on
 * Fastify `{ req }` (no reply). Read by shape, so the core needs no GraphQL package.
 */
interface GraphqlContextLike {
  req?: HttpRequestLike;
  res?: HttpResponseLike;
  reply?: HttpResponseLike & { request?: HttpRequestLike };
}

function graphqlRequest(graphqlContext: GraphqlContextLike | undefined): ContextRequest {
  const request = graphqlContext?.req ?? graphqlContext?.reply?.request;
  if (request === undefined || request === null || typeof request !== 'object') {
    throw new UnsupportedContextError(
      'ClientCertGuard found no HTTP request in the GraphQL context: when you pass your own `context` to GraphQLModule, keep `req` in the object it returns.',
      toGraphQLRefusal,
    );
  }
  const response = graphqlContext?.res ?? graphqlContext?.reply ?? request.res;
  return { transport: 'graphql', request, response, refuse: toGraphQLRefusal };
}
