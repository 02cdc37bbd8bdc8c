/**
 * The transport-neutral view of a request the pipeline needs. Both Express's `req` and
 * Fastify's `request.raw` are Node `IncomingMessage`s and provide these fields.
 */
export interface ForwardedRequest {
  /** Node's raw header list `[name, value, name, value, ...]`: the only source that shows duplicates. */
  readonly rawHeaders: readonly string[];
  /** The TCP peer's address (`socket.remoteAddress`). */
  readonly remoteAddress: string | undefined;
  /**
   * The header-line limit of the HTTP server (`server.maxHeadersCount`; 0: none). Node drops the
   * lines past it silently, so a request that reached it is refused.
   * @default 1000, Node's own limit when `maxHeadersCount` is not set
   */
  readonly headerLineLimit?: number;
  /** The request method; read only by profiles whose HMAC covers it (absent: such a MAC fails). */
  readonly method?: string;
  /** The request target as on the request line (path and query); read only by HMAC profiles. */
  readonly target?: string;
  /**
   * The connection the request came on; read only when a `source: 'tls'` profile is configured
   * (its local port picks the profile, its peer certificate is the client's). Absent: no TLS
   * profile can accept the request.
   */
  readonly socket?: RequestConnection;
}

/**
 * What a `source: 'tls'` profile reads of the connection: a Node `net.Socket`, or a
 * `tls.TLSSocket` (then `encrypted` is true and its peer certificate is read).
 */
export interface RequestConnection {
  /** The port the server listens on: picks the TLS profile. */
  readonly localPort?: number;
  readonly remoteAddress?: string;
  /** `true` on a `tls.TLSSocket`. */
  readonly encrypted?: boolean;
}
