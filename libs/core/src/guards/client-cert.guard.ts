import { CanActivate, ExecutionContext, HttpException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthenticatedClient } from '../authentication/authenticated-client';
import { ClientCertAuthenticator } from '../authentication/client-cert.authenticator';
import type { ForwardedRequest } from '../header/forwarded-request';
import {
  attachClient,
  decideOnce,
  forbidSharedCaching,
  toForwardedRequest,
  type HttpRequestLike,
  type HttpResponseLike,
} from '../authentication/request.adapter';
import { ClientCertResponseHints } from '../observability/response.hints';
import { requestOfContext, unreadableContextRefusal, type ContextRequest } from './execution-context.request';
import { toHttpException } from './http-error.mapper';
import { RouteMetadataCache } from './route-metadata.cache';
import { authorizeSocketClient } from '../websocket/socket-context.reader';

/**
 * Authenticates the request by its forwarded client certificate and enforces
 * `@RequireClientRoles()`, on controllers and on GraphQL resolvers (Apollo, Mercurius). It
 * calls the same `ClientCertAuthenticator` as the `client-cert` Passport strategy, but
 * directly: Passport's per-request machinery costs more than the whole cached pipeline (see
 * bench/), and adds nothing a certificate needs.
 *
 * @example
 * @Controller('orders')
 * @UseGuards(ClientCertGuard)
 * export class OrdersController {}
 *
 * @Resolver()
 * @UseGuards(ClientCertGuard)
 * export class WhoamiResolver {}
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
   * HTTP: synchronous on a warm hit (no promise, no await: measurable on a fast server, see
   * bench/); otherwise the full pipeline. Refusals map to the same HTTP errors and hints either
   * way. GraphQL resolvers: once per HTTP request, refusals as GraphQL errors with the same codes.
   * Any other context type is refused (503 AUTH_INTERNAL_ERROR, logged as a wiring mistake).
   */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const route = this.routes.for(context);
    if (route.skip) return true;
    const type = context.getType();
    // A gateway message: its connection was authenticated at the handshake (websocket/).
    if (type === 'ws') return authorizeSocketClient(context, route.roles, this.authenticator);

    let exchange: ContextRequest;
    try {
      exchange = requestOfContext(context, type);
    } catch (error) {
      throw unreadableContextRefusal(error);
    }
    if (exchange.transport !== 'http') return this.authenticateOnce(exchange, route.roles);
    const request = exchange.request;
    const response = exchange.response!;
    forbidSharedCaching(response);
    const forwarded = toForwardedRequest(request);
    let client: AuthenticatedClient | undefined;
    try {
      client = this.authenticator.authenticateWarm(forwarded, route.roles);
    } catch (error) {
      throw this.refusal(request, response, error);
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
      throw this.refusal(request, response, error);
    }
  }

  /**
   * GraphQL: the guard runs once per guarded field, so the request is authenticated on the
   * first and the decision reused by the others (`decideOnce`); the roles are each field's own.
   */
  private async authenticateOnce({ request, response, refuse }: ContextRequest, roles: readonly string[]): Promise<boolean> {
    if (response !== undefined) forbidSharedCaching(response);
    try {
      const client = await decideOnce(request, () => this.authenticator.authenticate(toForwardedRequest(request)));
      this.authenticator.authorize(client, roles);
      attachClient(request, response, client);
      return true;
    } catch (error) {
      throw refuse(this.refusal(request, response, error));
    }
  }

  private refusal(request: HttpRequestLike, response: HttpResponseLike | undefined, error: unknown): HttpException {
    const exception = toHttpException(error);
    if (response !== undefined) this.hints.applyTo(response, exception.getStatus(), request);
    return exception;
  }
}
