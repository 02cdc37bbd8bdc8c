/** Internal injection tokens. Not exported from the package index. */
export const RESOLVED_OPTIONS = Symbol('CLIENT_CERT_AUTH_RESOLVED_OPTIONS');
