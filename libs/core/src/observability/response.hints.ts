import { Inject, Injectable } from '@nestjs/common';
import { RESOLVED_OPTIONS } from '../client-cert-auth.tokens';
import { compileHeaderProfile } from '../header/header-profile.compiler';
import type { ResolvedClientCertAuthOptions } from '../options/options.resolver';
import { isHeaderProfile, isTlsProfile } from '../options/tls-profile.options';
import type { HttpRequestLike } from '../authentication/request.adapter';

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
 *   this.hints.applyTo(response, exception.getStatus(), request);
 *   throw exception;
 * }
 */
@Injectable()
export class ClientCertResponseHints {
  /** Comma-separated certificate header names, or undefined when the hint is off. */
  readonly expectedHeaders?: string;
  /** Ports of `source: 'tls'` listeners: no header is read there, so none is named. */
  private readonly tlsPorts: ReadonlySet<number>;

  constructor(@Inject(RESOLVED_OPTIONS) options: ResolvedClientCertAuthOptions) {
    this.tlsPorts = new Set(options.proxies.filter(isTlsProfile).flatMap((profile) => profile.ports));
    if (!options.responses.expectedHeaderHint) return;
    const names = options.proxies.filter(isHeaderProfile).flatMap((profile) => {
      try {
        return [compileHeaderProfile(profile, options.limits).parser.headerNames[0]];
      } catch {
        return []; // the authenticator refuses a bad profile at bootstrap with the full message
      }
    });
    this.expectedHeaders = [...new Set(names)].join(', ') || undefined;
  }

  /**
   * Sets `Client-Cert-Expected` on 401 responses (Express `res.header` / Fastify `reply.header`),
   * except to a request on a `source: 'tls'` listener (give `request`): there the certificate
   * belongs in the TLS handshake, and naming a header would only invite one that is never read.
   */
  applyTo(response: { header(name: string, value: string): unknown }, status: number, request?: HttpRequestLike): void {
    if (status !== 401 || !this.expectedHeaders) return;
    if (this.tlsPorts.size > 0 && request !== undefined && this.tlsPorts.has(localPortOf(request) ?? -1)) return;
    response.header(EXPECTED_HEADER_HINT, this.expectedHeaders);
  }
}

/** The listener port of an Express `req` or a Fastify `request` (its `raw`). */
function localPortOf(request: HttpRequestLike): number | undefined {
  return ((request.raw ?? request) as { socket?: { localPort?: number } }).socket?.localPort;
}
