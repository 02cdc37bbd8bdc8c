import { ClientCertErrorCode } from '../errors/client-cert-error-code';
import { ClientCertError } from '../errors/client-cert.error';

/**
 * Shorthands for the two failures every parser raises. Messages are for the log; they
 * never carry a whole certificate, only names, lengths and positions.
 */
export function headerMalformed(message: string, details: Record<string, unknown> = {}): ClientCertError {
  return new ClientCertError(ClientCertErrorCode.HEADER_MALFORMED, message, details);
}

export function certificateMissing(message: string, details: Record<string, unknown> = {}): ClientCertError {
  return new ClientCertError(ClientCertErrorCode.CERT_MISSING, message, details);
}
