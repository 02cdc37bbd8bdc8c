import type { IncomingMessage } from 'node:http';
import type { ForwardedRequest } from '../header/forwarded-request';
import { headerLineLimitOf } from '../header/header-lines.check';
import { isIssuedClient, type AuthenticatedClient } from './authenticated-client';

/** The request object Nest hands to guards: Express's `req` or Fastify's `request`. */
export interface HttpRequestLike {
  raw?: IncomingMessage;
  rawHeaders?: string[];
  socket?: { remoteAddress?: string };
  user?: unknown;
  /** Express: the response of this request. */
  res?: HttpResponseLike;
}

/** The response object Nest hands to guards: Express's `res` (a Node ServerResponse) or Fastify's `reply`. */
export interface HttpResponseLike {
  setHeader?(name: string, value: string): unknown;
  header(name: string, value: string): unknown;
  /** Express's per-request store (`res.locals`). */
  locals?: Record<string | symbol, unknown>;
}

/*
 * Why these helpers touch so few properties: every Express request and response object gets a
 * map of its own (Express re-prototypes each one), so each property access on them misses V8's
 * inline caches: ~0.3-0.6 µs a read, ~1.6 µs a new property, ~1.1 µs a WeakMap entry (measured
 * inside a running Express 5 server; bench/RESULTS.md). Fastify's objects are ordinary class
 * instances: there the same operations cost nanoseconds, while a WeakMap entry per request cost
 * 1.5 µs of server CPU per request at 45k req/s (24.5 vs 23.0 µs; likely the GC's ephemeron work).
 */

/**
 * A request's pipeline view. The request line is read only when a profile asks for it (an HMAC
 * covers it), the socket only when a TLS profile exists: getters, so the warm path pays no extra
 * property reads on Express's objects.
 */
class NodeForwardedRequest implements ForwardedRequest {
  /** A private field: not an enumerable property, so the object looks like its three fields. */
  readonly #message: IncomingMessage & { originalUrl?: string };

  constructor(
    readonly rawHeaders: readonly string[],
    readonly remoteAddress: string | undefined,
    readonly headerLineLimit: number | undefined,
    message: IncomingMessage,
  ) {
    this.#message = message;
  }

  get method(): string | undefined {
    return this.#message.method;
  }

  /** Express rewrites `url` inside mounted routers; `originalUrl` keeps the request line's target. */
  get target(): string | undefined {
    return this.#message.originalUrl ?? this.#message.url;
  }

  /** Read only when a `source: 'tls'` profile is configured: header profiles never pay for it. */
  get socket(): IncomingMessage['socket'] {
    return this.#message.socket;
  }
}

type ConnectionSocket = IncomingMessage['socket'] & { server?: { maxHeadersCount?: number | null } };

/** What every request on one connection reads alike from its socket. */
interface ConnectionFacts {
  readonly remoteAddress: string | undefined;
  readonly headerLineLimit: number | undefined;
}

const CONNECTION = Symbol('clientCertConnection');

/**
 * The peer address and the server's header-line limit, read once per connection and kept on the
 * socket. Neither changes while it is open: Node fixes a connection's header-line limit when it
 * accepts it, and caches the peer address itself. Read per request, the request view cost
 * 0.25-0.95 µs inside the loaded bench server, 0.07-0.14 µs with them kept (`remoteAddress` is a
 * getter; `net.Socket` and `http.Server` are large objects whose properties leave the CPU's
 * caches between two requests; bench/RESULTS.md, eighth session).
 */
function connectionFacts(socket: ConnectionSocket | undefined): ConnectionFacts {
  if (socket === undefined || socket === null) return { remoteAddress: undefined, headerLineLimit: undefined };
  const carrier = socket as ConnectionSocket & { [CONNECTION]?: ConnectionFacts };
  const known = carrier[CONNECTION];
  if (known !== undefined) return known;
  const facts: ConnectionFacts = { remoteAddress: socket.remoteAddress, headerLineLimit: headerLineLimitOf(socket) };
  // Not on a socket that is closed (its address may be gone) or that cannot take the property.
  if (facts.remoteAddress !== undefined && Object.isExtensible(socket)) {
    Object.defineProperty(socket, CONNECTION, { value: facts, enumerable: false });
  }
  return facts;
}

/**
 * Both adapters expose Node's IncomingMessage: Express as the request itself, Fastify as
 * `request.raw`. `rawHeaders` is read first: on Express it is there, and a miss (`raw`) is the
 * slowest read of all.
 */
export function toForwardedRequest(request: HttpRequestLike): ForwardedRequest {
  const message = (request.rawHeaders !== undefined ? request : (request.raw ?? request)) as IncomingMessage;
  const { remoteAddress, headerLineLimit } = connectionFacts(message.socket as ConnectionSocket | undefined);
  return new NodeForwardedRequest(message.rawHeaders ?? [], remoteAddress, headerLineLimit, message);
}

/**
 * The response depends on who the client is: no shared cache may keep it. Node's
 * own `setHeader` on Express (Express's `res.header` wrapper costs ~1 µs more); `reply.header`
 * on Fastify, which has no `setHeader` and keeps its own header list. The name in lower case:
 * Fastify lower-cases every name it is given, and an already lower-case one costs no new string.
 */
export function forbidSharedCaching(response: HttpResponseLike): void {
  if (typeof response.setHeader === 'function') response.setHeader('cache-control', 'no-store');
  else response.header('cache-control', 'no-store');
}

/**
 * Where the guards leave the client: Express's `res.locals` (its per-request store, a plain
 * object), or a property of Fastify's request. Under a symbol either way, so it never collides
 * with an application's own keys.
 */
const CLIENT = Symbol('clientCert');

type Carrier = { [CLIENT]?: AuthenticatedClient };

export function attachClient(request: HttpRequestLike, response: HttpResponseLike | undefined, client: AuthenticatedClient): void {
  const locals = typeof response?.setHeader === 'function' ? response.locals : undefined;
  if (locals !== undefined) (locals as Carrier)[CLIENT] = client;
  else (request as Carrier)[CLIENT] = client;
}

const DECISION = Symbol('clientCertDecision');

/**
 * The authentication of a request, run on its first call and shared by every later one: one
 * GraphQL operation runs the guard once per guarded field (and a batch once per operation), and
 * all of them must get one decision, one decision-log entry and one registry lookup. The promise
 * is kept, not its value, so fields resolved in parallel wait for the same cold run. Under a
 * symbol on the request, so it lives exactly as long as the request.
 */
export function decideOnce(request: HttpRequestLike, decide: () => Promise<AuthenticatedClient>): Promise<AuthenticatedClient> {
  const memo = request as { [DECISION]?: Promise<AuthenticatedClient> };
  return (memo[DECISION] ??= decide());
}

/**
 * The authenticated client of a request that passed `ClientCertGuard` or
 * `ClientCertPassportGuard`, for code that is not a route handler (interceptors, other guards,
 * exception filters); `undefined` before authentication or on an unguarded route. Also finds
 * the client Passport left in `request.user` when the strategy ran through a guard of your own,
 * but only the object this module created: whatever else another guard put in `request.user`
 * (a JWT payload with `principal` and `account` keys, say) is not a client certificate.
 *
 * @example
 * intercept(context: ExecutionContext, next: CallHandler) {
 *   const client = clientCertOf(context.switchToHttp().getRequest());
 *   this.audit.note(client?.account.name);
 *   return next.handle();
 * }
 */
export function clientCertOf(request: object): AuthenticatedClient | undefined {
  const http = request as HttpRequestLike & Carrier;
  const client = http[CLIENT] ?? (http.res?.locals as Carrier | undefined)?.[CLIENT];
  if (client !== undefined) return client;
  return isIssuedClient(http.user) ? http.user : undefined;
}
