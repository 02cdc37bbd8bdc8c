import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { AuthenticatedClient } from '../authentication/authenticated-client';
import { ClientCertAuthenticator } from '../authentication/client-cert.authenticator';
import { attachClient, type HttpRequestLike } from '../authentication/request.adapter';
import { REQUIRED_ROLES_KEY, SKIP_CLIENT_CERT_KEY } from '../decorators/metadata.keys';
import { ClientCertError } from '../errors/client-cert.error';
import { CLIENT_CERT_STRATEGY } from '../passport/client-cert.strategy';
import { toHttpException } from './http-error.mapper';

/**
 * `AuthGuard('client-cert')` with the module's error mapping and role checks: the Passport path
 * to the same decisions as `ClientCertGuard`, for apps that combine several Passport strategies.
 */
@Injectable()
export class ClientCertPassportGuard extends AuthGuard(CLIENT_CERT_STRATEGY) {
  constructor(
    private readonly authenticator: ClientCertAuthenticator,
    private readonly reflector: Reflector,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(SKIP_CLIENT_CERT_KEY, targets)) return true;
    const http = context.switchToHttp();
    http.getResponse<{ header(name: string, value: string): unknown }>().header('Cache-Control', 'no-store');
    await super.canActivate(context);
    const request = http.getRequest<HttpRequestLike>();
    const client = request.user as AuthenticatedClient;
    try {
      this.authenticator.authorize(client, this.reflector.getAllAndMerge<string[]>(REQUIRED_ROLES_KEY, targets));
    } catch (error) {
      throw toHttpException(error);
    }
    attachClient(request, client);
    return true;
  }

  override handleRequest<T>(error: unknown, client: T): T {
    if (error || !client) {
      throw toHttpException(error ?? new ClientCertError('CERT_MISSING', 'no client certificate'));
    }
    return client;
  }
}
