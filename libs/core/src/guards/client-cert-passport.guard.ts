import { ExecutionContext, HttpException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { AuthenticatedClient } from '../authentication/authenticated-client';
import { ClientCertAuthenticator } from '../authentication/client-cert.authenticator';
import { attachClient, forbidSharedCaching, type HttpRequestLike, type HttpResponseLike } from '../authentication/request.adapter';
import { ClientCertError } from '../errors/client-cert.error';
import { CLIENT_CERT_STRATEGY } from '../passport/client-cert.strategy';
import { ClientCertResponseHints } from '../observability/response.hints';
import { requestOfContext, unreadableContextRefusal, type ContextRequest } from './execution-context.request';
import { toHttpException } from './http-error.mapper';
import { RouteMetadataCache } from './route-metadata.cache';

/**
 * `AuthGuard('client-cert')` with the module's error mapping and role checks: the Passport path
 * to the same decisions as `ClientCertGuard`, for apps that combine several Passport strategies.
 * On GraphQL resolvers too (refusals as GraphQL errors), though each guarded field runs the
 * strategy again: prefer `ClientCertGuard` there, which authenticates once per request.
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
    let exchange: ContextRequest;
    try {
      exchange = requestOfContext(context);
    } catch (error) {
      throw unreadableContextRefusal(error);
    }
    const { request, response, refuse } = exchange;
    if (response !== undefined) forbidSharedCaching(response);
    try {
      await super.canActivate(context);
    } catch (error) {
      if (!(error instanceof HttpException)) throw error;
      if (response !== undefined) this.hints.applyTo(response, error.getStatus(), request);
      throw refuse(error);
    }
    const client = request.user as AuthenticatedClient;
    try {
      this.authenticator.authorize(client, route.roles);
    } catch (error) {
      throw refuse(toHttpException(error));
    }
    attachClient(request, response, client);
    return true;
  }

  /** Passport reads the request and response through these: the same ones, for every context type. */
  override getRequest<T = HttpRequestLike>(context: ExecutionContext): T {
    return requestOfContext(context).request as T;
  }

  getResponse<T = HttpResponseLike>(context: ExecutionContext): T {
    return requestOfContext(context).response as T;
  }

  override handleRequest<T>(error: unknown, client: T): T {
    if (error || !client) {
      throw toHttpException(error ?? new ClientCertError('CERT_MISSING', 'no client certificate'));
    }
    return client;
  }
}
