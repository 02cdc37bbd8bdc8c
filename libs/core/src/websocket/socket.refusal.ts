import type { ClientCertErrorCode } from '../errors/client-cert-error-code';
import { HTTP_STATUS_BY_CODE } from '../errors/http-status.table';
import { requireOptionalPeer } from '../errors/optional-peer.loader';
import { toHttpException, type ClientCertErrorBody } from '../guards/http-error.mapper';

/**
 * The body a refused connection or message carries: the same `{ statusCode, error, code }` as
 * an HTTP refusal, from the same table, so a client reads one format whatever the transport.
 * A failure that is not a `ClientCertError` is logged as a bug and becomes AUTH_INTERNAL_ERROR.
 */
export function socketRefusalOf(error: unknown): ClientCertErrorBody {
  return toHttpException(error).getResponse() as ClientCertErrorBody;
}

/**
 * The WebSocket close code of a refused connection: 4000 + the HTTP status of the code (4401
 * CERT_MISSING or SOURCE_UNTRUSTED, 4403 IDENTITY_UNKNOWN and the other certificate refusals,
 * 4400 HEADER_MALFORMED, 4503 when a dependency is down). The close reason is the code itself.
 *
 * @example wsCloseCodeFor('IDENTITY_UNKNOWN') // 4403
 */
export function wsCloseCodeFor(code: ClientCertErrorCode): number {
  return 4000 + HTTP_STATUS_BY_CODE[code];
}

type WsExceptionClass = new (error: object) => Error;
let WsException: WsExceptionClass | undefined;

/**
 * A refusal inside a gateway handler, as the `WsException` Nest's WebSocket exception filter
 * sends to the client (`{ event: 'exception', data: { statusCode, error, code } }` on `ws`, an
 * `exception` event on socket.io). @nestjs/websockets is loaded here, on the first refusal in a
 * gateway, so an app without gateways never needs it.
 */
export function toWsException(error: unknown): Error {
  WsException ??= requireOptionalPeer<{ WsException: WsExceptionClass }>(
    require,
    '@nestjs/websockets',
    'WebSocket support of @client-cert-auth/core',
  ).WsException;
  return new WsException(socketRefusalOf(error));
}
