import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ClientCertAuthenticator } from '../authentication/client-cert.authenticator';
import { attachClient, toForwardedRequest, type HttpRequestLike } from '../authentication/request.adapter';
import { ClientCertResponseHints } from '../observability/response.hints';
import { toHttpException } from './http-error.mapper';
import { RouteMetadataCache } from './route-metadata.cache';

/**
 * Authenticates the request by its forwarded client certificate and enforces
 * `@RequireClientRoles()`. It calls the same `ClientCertAuthenticator` as the `client-cert`
 * Passport strategy, but directly: Passport's per-request machinery costs more than the whole
 * cached pipeline (see bench/), and adds nothing a certificate needs.
 *
 * @example
 * @Controller('orders')
 * @UseGuards(ClientCertGuard)
 * export class OrdersController {}
 */
@Injectable()
export class ClientCertGuard implements CanActivate {
  private readonly routes: RouteMetadataCache;

  constructor(
    private readonly authenticator: ClientCertAuthenticator,
    reflector: Reflector,
    private readonly hints: ClientCertResponseHints,
  ) {
    this.routes = new RouteMetadataCache(reflector);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const route = this.routes.for(context);
    if (route.skip) return true;

    const http = context.switchToHttp();
    const request = http.getRequest<HttpRequestLike>();
    // The response depends on who the client is: no shared cache may keep it (RFC 9440 §4).
    const response = http.getResponse<{ header(name: string, value: string): unknown }>();
    response.header('Cache-Control', 'no-store');
    try {
      attachClient(request, await this.authenticator.authenticate(toForwardedRequest(request), route.roles));
      return true;
    } catch (error) {
      const exception = toHttpException(error);
      this.hints.applyTo(response, exception.getStatus());
      throw exception;
    }
  }
}
