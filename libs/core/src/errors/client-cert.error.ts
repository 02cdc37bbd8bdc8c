import { ClientCertErrorCode } from './client-cert-error-code';

/**
 * The one error type of the pipeline. `code` is stable and safe to show to a client;
 * `message` and `details` are for the log only (they may name subjects or reasons).
 *
 * A refusal, not a bug: it carries no stack trace (`stack` is just `ClientCertError: <message>`).
 * Capturing one walks the whole call stack, ~8 µs at the guard's depth on a loaded host against
 * ~2 µs without (interleaved runs, 2026-12-06), paid by every request of a flood of bad
 * certificates; the decision log already says where and why a request was refused.
 */
export class ClientCertError extends Error {
  override readonly name = 'ClientCertError';

  constructor(
    readonly code: ClientCertErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }
}

export function isClientCertError(error: unknown): error is ClientCertError {
  return error instanceof ClientCertError;
}
