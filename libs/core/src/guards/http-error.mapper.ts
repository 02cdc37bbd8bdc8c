import { HttpException, Logger } from '@nestjs/common';
import { ClientCertErrorCode } from '../errors/client-cert-error-code';
import { isClientCertError } from '../errors/client-cert.error';
import { HTTP_REASON_BY_STATUS, HTTP_STATUS_BY_CODE } from '../errors/http-status.table';

/** The body every refusal gets: generic on purpose; the reason goes to the log. */
export interface ClientCertErrorBody {
  readonly statusCode: number;
  readonly error: string;
  readonly code: ClientCertErrorCode;
}

const logger = new Logger('ClientCertAuth');

/**
 * Turns any failure of the pipeline into the HTTP exception the client sees. Anything that is
 * not a `ClientCertError` is a bug: it is logged and refused with 503, never let through and
 * never shown as a 500 with internals.
 */
export function toHttpException(error: unknown): HttpException {
  // The authenticator has already logged the decision; only bugs are logged here.
  if (isClientCertError(error)) return exceptionFor(error.code);
  logger.error({ event: 'client_cert.internal_error', error: String(error), stack: (error as Error)?.stack });
  return exceptionFor(ClientCertErrorCode.AUTH_INTERNAL_ERROR);
}

/**
 * The exception for a refusal, built without a stack trace: Nest answers an HttpException
 * without reading its stack, and capturing one costs as much as the rest of a cheap refusal
 * (see ClientCertError), on every request of a flood.
 */
export function exceptionFor(code: ClientCertErrorCode): HttpException {
  const statusCode = HTTP_STATUS_BY_CODE[code];
  const body: ClientCertErrorBody = { statusCode, error: HTTP_REASON_BY_STATUS[statusCode], code };
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new HttpException(body, statusCode);
  } finally {
    Error.stackTraceLimit = limit;
  }
}
