/** An OCSP response that cannot be trusted or used; the message says why (for the log only). */
export class OcspResponseError extends Error {
  override readonly name = 'OcspResponseError';
}
