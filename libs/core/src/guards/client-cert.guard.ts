import { CanActivate, ExecutionContext, HttpException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthenticatedClient } from '../authentication/authenticated-client';
import { ClientCertAuthenticator } from '../authentication/client-cert.authenticator';
import type { ForwardedRequest } from '../header/forwarded-request';
import { attachClient, forbidSharedCaching, toForwardedRequest, type HttpRequestLike, type HttpResponseLike } from '../authentication/request.adapter';
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

  /**
   * Synchronous on a warm hit (no promise, no await: measurable on a fast server, see bench/);
   * otherwise the full pipeline. Refusals map to the same HTTP errors and hints either way.
   */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const route = this.routes.for(context);
    if (route.skip) return true;

    // An HTTP context's arguments are (request, response, next). Reading them directly spares
    // switchToHttp(), which builds three closures per call: measurable on the warm path.
    const request = context.getArgByIndex<HttpRequestLike>(0);
    const response = context.getArgByIndex<HttpResponseLike>(1);
    forbidSharedCaching(response);
    const forwarded = toForwardedRequest(request);
    let client: AuthenticatedClient | undefined;
    try {
      client = this.authenticator.authenticateWarm(forwarded, route.roles);
    } catch (error) {
      throw this.refusal(response, error);
    }
    if (client === undefined) return this.authenticateCold(request, response, forwarded, route.roles);
    attachClient(request, response, client);
    return true;
  }

  private async authenticateCold(
    request: HttpRequestLike,
    response: HttpResponseLike,
    forwarded: ForwardedRequest,
    roles: readonly string[],
  ): Promise<boolean> {
    try {
      // authenticateWarm already missed: straight to the pipeline, no second warm lookup.
      attachClient(request, response, await this.authenticator.authenticateCold(forwarded, roles));
      return true;
    } catch (error) {
      throw this.refusal(response, error);
    }
  }

  private refusal(response: HttpResponseLike, error: unknown): HttpException {
    const exception = toHttpException(error);
    this.hints.applyTo(response, exception.getStatus());
    return exception;
  }
}
