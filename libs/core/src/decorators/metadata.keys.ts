/** Reflect-metadata keys read by ClientCertGuard. Internal. */
export const REQUIRED_ROLES_KEY = 'client-cert:required-roles';
export const SKIP_CLIENT_CERT_KEY = 'client-cert:skip';
