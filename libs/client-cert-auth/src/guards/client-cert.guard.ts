import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ClientCertAuthenticator } from '../authentication/client-cert.authenticator';
import { attachClient, toForwardedRequest, type HttpRequestLike } from '../authentication/request.adapter';
import { REQUIRED_ROLES_KEY, SKIP_CLIENT_CERT_KEY } from '../decorators/metadata.keys';
import { toHttpException } from './http-error.mapper';

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
  constructor(
    private readonly authenticator: ClientCertAuthenticator,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(SKIP_CLIENT_CERT_KEY, targets)) return true;

    const http = context.switchToHttp();
    const request = http.getRequest<HttpRequestLike>();
    // The response depends on who the client is: no shared cache may keep it (RFC 9440 §4).
    http.getResponse<{ header(name: string, value: string): unknown }>().header('Cache-Control', 'no-store');
    try {
      const roles = this.reflector.getAllAndMerge<string[]>(REQUIRED_ROLES_KEY, targets);
      attachClient(request, await this.authenticator.authenticate(toForwardedRequest(request), roles));
      return true;
    } catch (error) {
      throw toHttpException(error);
    }
  }
}
