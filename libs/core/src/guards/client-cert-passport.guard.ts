import { ExecutionContext, HttpException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { AuthenticatedClient } from '../authentication/authenticated-client';
import { ClientCertAuthenticator } from '../authentication/client-cert.authenticator';
import { attachClient, forbidSharedCaching, type HttpRequestLike, type HttpResponseLike } from '../authentication/request.adapter';
import { ClientCertError } from '../errors/client-cert.error';
import { CLIENT_CERT_STRATEGY } from '../passport/client-cert.strategy';
import { ClientCertResponseHints } from '../observability/response.hints';
import { toHttpException } from './http-error.mapper';
import { RouteMetadataCache } from './route-metadata.cache';

/**
 * `AuthGuard('client-cert')` with the module's error mapping and role checks: the Passport path
 * to the same decisions as `ClientCertGuard`, for apps that combine several Passport strategies.
 */
@Injectable()
export class ClientCertPassportGuard extends AuthGuard(CLIENT_CERT_STRATEGY) {
  private readonly routes: RouteMetadataCache;

  constructor(
    private readonly authenticator: ClientCertAuthenticator,
    reflector: Reflector,
    private readonly hints: ClientCertResponseHints,
  ) {
    super();
    this.routes = new RouteMetadataCache(reflector);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const route = this.routes.for(context);
    if (route.skip) return true;
    const http = context.switchToHttp();
    const response = http.getResponse<HttpResponseLike>();
    forbidSharedCaching(response);
    try {
      await super.canActivate(context);
    } catch (error) {
      if (error instanceof HttpException) this.hints.applyTo(response, error.getStatus(), http.getRequest<HttpRequestLike>());
      throw error;
    }
    const request = http.getRequest<HttpRequestLike>();
    const client = request.user as AuthenticatedClient;
    try {
      this.authenticator.authorize(client, route.roles);
    } catch (error) {
      throw toHttpException(error);
    }
    attachClient(request, response, client);
    return true;
  }

  override handleRequest<T>(error: unknown, client: T): T {
    if (error || !client) {
      throw toHttpException(error ?? new ClientCertError('CERT_MISSING', 'no client certificate'));
    }
    return client;
  }
}
