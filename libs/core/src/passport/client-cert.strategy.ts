import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-custom';
import { ClientCertAuthenticator } from '../authentication/client-cert.authenticator';
import type { AuthenticatedClient } from '../authentication/authenticated-client';
import { toForwardedRequest, type HttpRequestLike } from '../authentication/request.adapter';

/** The Passport strategy name: `AuthGuard('client-cert')`. */
export const CLIENT_CERT_STRATEGY = 'client-cert';

/**
 * Passport strategy for apps that compose Passport strategies. It runs the same authenticator
 * as `ClientCertGuard`; use `ClientCertPassportGuard` with it so refusals keep their codes.
 */
@Injectable()
export class ClientCertStrategy extends PassportStrategy(Strategy, CLIENT_CERT_STRATEGY) {
  constructor(private readonly authenticator: ClientCertAuthenticator) {
    super();
  }

  validate(request: HttpRequestLike): Promise<AuthenticatedClient> {
    return this.authenticator.authenticate(toForwardedRequest(request));
  }
}
