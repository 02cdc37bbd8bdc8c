import { ClientCertOptionsError } from '../options/options.error';

/**
 * Where `CertificateBoundTokenGuard` finds the claims of the access token that a guard before it
 * (passport-jwt, @nestjs/jwt, your own) has already verified.
 */
export interface CertificateBoundTokenOptions {
  /**
   * A property path on the request (`'user'`, `'auth.claims'`), or a function of the request
   * that returns the verified claims. passport-jwt leaves what its strategy's `validate()` returns
   * in `request.user`: return the payload (or keep its `cnf`) there.
   * @default 'user'
   * @example { claims: (request) => request.auth?.payload }
   */
  // The request object is the platform's own (Express or Fastify): typed by the caller.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  claims?: string | ((request: any) => unknown);
}

/** The options, compiled once at bootstrap. */
export interface ResolvedBoundTokenOptions {
  /** Reads the verified claims from a request (`undefined` when none are there). */
  readonly readClaims: (request: object) => unknown;
  /** Where they are read from, for log lines and messages. */
  readonly source: string;
}

const SEGMENT = /^[A-Za-z_$][\w$]*$/;
// A path must name data the token guard left, never walk into prototypes.
const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

/** Validates `boundTokens` once; a bad path stops start-up with a message that says what to give. */
export function resolveBoundTokenOptions(options: CertificateBoundTokenOptions | undefined): ResolvedBoundTokenOptions {
  const claims = options?.claims ?? 'user';
  if (typeof claims === 'function') return Object.freeze({ readClaims: claims, source: 'boundTokens.claims()' });
  const segments = typeof claims === 'string' ? claims.split('.') : [];
  if (segments.length === 0 || segments.some((s) => !SEGMENT.test(s) || FORBIDDEN.has(s))) {
    throw new ClientCertOptionsError(
      'boundTokens.claims',
      `is ${JSON.stringify(claims)}`,
      "Give a property path of the request such as 'user' or 'auth.claims', or a function (request) => claims.",
    );
  }
  const readClaims = (request: object): unknown => {
    let value: unknown = request;
    for (const segment of segments) {
      if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined;
      value = (value as Record<string, unknown>)[segment];
    }
    return value;
  };
  return Object.freeze({ readClaims, source: `request.${claims}` });
}
