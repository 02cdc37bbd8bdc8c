import { ClientCertErrorCode } from './client-cert-error-code';

/**
 * The one error type of the pipeline. `code` is stable and safe to show to a client;
 * `message` and `details` are for the log only (they may name subjects or reasons).
 */
export class ClientCertError extends Error {
  override readonly name = 'ClientCertError';

  constructor(
    readonly code: ClientCertErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

export function isClientCertError(error: unknown): error is ClientCertError {
  return error instanceof ClientCertError;
}
