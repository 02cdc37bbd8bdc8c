import { Inject, Injectable } from '@nestjs/common';
import { RESOLVED_OPTIONS } from '../client-cert-auth.tokens';
import { compileHeaderProfile } from '../header/header-profile.compiler';
import type { ResolvedClientCertAuthOptions } from '../options/options.resolver';
import { isHeaderProfile } from '../options/tls-profile.options';

/** The response header that names the expected certificate header(s) on a 401. */
export const EXPECTED_HEADER_HINT = 'Client-Cert-Expected';

/**
 * Headers a refusal carries besides the generic body. The value is computed once at bootstrap
 * from the configured profiles (the certificate header each reads), so a 401 tells an operator
 * which header the backend wanted without echoing anything the client sent.
 *
 * @example
 * catch (error) {
 *   const exception = toHttpException(error);
 *   this.hints.applyTo(response, exception.getStatus());
 *   throw exception;
 * }
 */
@Injectable()
export class ClientCertResponseHints {
  /** Comma-separated certificate header names, or undefined when the hint is off. */
  readonly expectedHeaders?: string;

  constructor(@Inject(RESOLVED_OPTIONS) options: ResolvedClientCertAuthOptions) {
    if (!options.responses.expectedHeaderHint) return;
    // A TLS profile reads no header: nothing to name (its 401 says CERT_MISSING alone).
    const names = options.proxies.filter(isHeaderProfile).flatMap((profile) => {
      try {
        return [compileHeaderProfile(profile, options.limits).parser.headerNames[0]];
      } catch {
        return []; // the authenticator refuses a bad profile at bootstrap with the full message
      }
    });
    this.expectedHeaders = [...new Set(names)].join(', ') || undefined;
  }

  /** Sets `Client-Cert-Expected` on 401 responses (Express `res.header` / Fastify `reply.header`). */
  applyTo(response: { header(name: string, value: string): unknown }, status: number): void {
    if (status === 401 && this.expectedHeaders) response.header(EXPECTED_HEADER_HINT, this.expectedHeaders);
  }
}
