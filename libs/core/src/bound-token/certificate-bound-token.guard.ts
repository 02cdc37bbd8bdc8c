import { CanActivate, ExecutionContext, HttpException, Inject, Injectable, Logger } from '@nestjs/common';
import { clientCertOf, type HttpResponseLike } from '../authentication/request.adapter';
import { RESOLVED_OPTIONS } from '../client-cert-auth.tokens';
import { ClientCertError } from '../errors/client-cert.error';
import { exceptionFor, toHttpException } from '../guards/http-error.mapper';
import type { ResolvedClientCertAuthOptions } from '../options/options.resolver';
import { assertTokenBoundToCertificate } from './certificate-thumbprint.check';

/**
 * RFC 8705 certificate-bound access tokens: refuses a request whose already verified access
 * token is not bound (`cnf["x5t#S256"]`) to the certificate `ClientCertGuard` authenticated, with
 * 401 `TOKEN_NOT_BOUND` and `WWW-Authenticate: Bearer error="invalid_token"` (RFC 8705 §3).
 *
 * A guard of its own, listed AFTER both the certificate guard and the token guard: Nest runs
 * guards in the order given, so a request without a token gets the token guard's own 401 and
 * this guard only ever sees verified claims. Where the claims are is `boundTokens.claims`
 * (default `request.user`, where passport-jwt and the @nestjs/jwt recipe leave them).
 *
 * @example
 * @UseGuards(ClientCertGuard, AuthGuard('jwt'), CertificateBoundTokenGuard)
 * @Post('transfers') create() {}
 */
@Injectable()
export class CertificateBoundTokenGuard implements CanActivate {
  private readonly logger = new Logger('ClientCertAuth');

  constructor(@Inject(RESOLVED_OPTIONS) private readonly options: ResolvedClientCertAuthOptions) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<object>();
    const client = clientCertOf(request);
    // Listed before ClientCertGuard, or on a route without it: a wiring mistake, refused.
    if (!client) throw toHttpException(new ClientCertError('CERT_MISSING', 'CertificateBoundTokenGuard runs before ClientCertGuard'));
    const { readClaims, source } = this.options.boundTokens;
    try {
      assertTokenBoundToCertificate(readClaims(request), client.principal.fingerprintSha256);
      return true;
    } catch (error) {
      if (!(error instanceof ClientCertError)) throw toHttpException(error);
      this.logger.warn({
        event: 'client_cert.token_not_bound',
        reason: error.message,
        claimsFrom: source,
        account: client.account.name,
        fingerprintSha256: client.principal.fingerprintSha256,
        ...error.details,
      });
      throw this.invalidToken(http.getResponse<HttpResponseLike>(), error.code);
    }
  }

  /** RFC 6750 §3: a 401 to a bearer request names the scheme and the error. */
  private invalidToken(response: HttpResponseLike, code: ClientCertError['code']): HttpException {
    const challenge = 'Bearer error="invalid_token", error_description="access token is not bound to the client certificate"';
    if (typeof response.setHeader === 'function') response.setHeader('www-authenticate', challenge);
    else response.header('www-authenticate', challenge);
    return exceptionFor(code);
  }
}
