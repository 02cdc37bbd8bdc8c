import type { ForwardedRequest } from './forwarded-request';
import { headerMalformed } from './header.errors';

/**
 * Header lines Node keeps when `server.maxHeadersCount` is not set: its parser stops at 2,000
 * `rawHeaders` entries (name and value each count), i.e. 1,000 lines (measured on Node 20: of
 * 1,500 lines, `req.headers` held 1,000 and `rawHeaders` 1,023).
 */
export const NODE_DEFAULT_HEADER_LINES = 1000;

/**
 * The header-line limit of the server a request came in on: its `maxHeadersCount`, or Node's
 * default when unset; 0 means no limit.
 */
export function headerLineLimitOf(socket: { server?: { maxHeadersCount?: number | null } } | undefined): number | undefined {
  const limit = socket?.server?.maxHeadersCount;
  return typeof limit === 'number' ? limit : undefined;
}

/**
 * True when the request's header lines reached the server's limit, so Node may have dropped
 * the rest without a word: a second certificate header past the limit would never be seen
 * (the request would be read as if the first were the only one).
 */
export function headerLinesMayBeDropped(request: ForwardedRequest): boolean {
  const limit = request.headerLineLimit ?? NODE_DEFAULT_HEADER_LINES;
  return limit > 0 && request.rawHeaders.length >= 2 * limit;
}

/** @throws ClientCertError HEADER_MALFORMED when `headerLinesMayBeDropped(request)`. */
export function assertHeaderLinesComplete(request: ForwardedRequest): void {
  if (!headerLinesMayBeDropped(request)) return;
  const limit = request.headerLineLimit ?? NODE_DEFAULT_HEADER_LINES;
  throw headerMalformed(
    `Request has ${request.rawHeaders.length / 2} header lines, the server's limit of ${limit}: lines past it may have been dropped unseen, so it is refused (raise server.maxHeadersCount if this is legitimate)`,
    { headerLines: request.rawHeaders.length / 2, limit },
  );
}
