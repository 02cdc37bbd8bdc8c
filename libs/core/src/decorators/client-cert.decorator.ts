import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { clientCertOf } from '../authentication/request.adapter';
import type { AuthenticatedClient } from '../authentication/authenticated-client';
import { ClientCertError } from '../errors/client-cert.error';
import type { ClientAccount as ClientAccountModel } from '../registry/client-account';
import { requestOfContext, unreadableContextRefusal, type ContextRequest } from '../guards/execution-context.request';
import { toHttpException } from '../guards/http-error.mapper';
import { requireSocketClient } from '../websocket/socket-context.reader';

/**
 * A route that asks for the client but is not guarded is a wiring mistake; refusing the request
 * (instead of handing the controller `undefined`) keeps that mistake from becoming an open door.
 */
function requireClient(context: ExecutionContext): AuthenticatedClient {
  if (context.getType() === 'ws') return requireSocketClient(context);
  let exchange: ContextRequest;
  try {
    exchange = requestOfContext(context);
  } catch (error) {
    throw unreadableContextRefusal(error);
  }
  const client = clientCertOf(exchange.request);
  if (!client) throw exchange.refuse(toHttpException(new ClientCertError('CERT_MISSING', 'route reads the client but is not guarded by ClientCertGuard')));
  return client;
}

/**
 * The verified certificate principal (`ClientCertPrincipal`) of a request that passed
 * `ClientCertGuard`.
 *
 * @example
 * @Get() list(@ClientCert() cert: ClientCertPrincipal) { return cert.subject; }
 * @Query(() => String) subject(@ClientCert() cert: ClientCertPrincipal) { return cert.subject; }
 */
export const ClientCert = createParamDecorator((_: unknown, context: ExecutionContext) => requireClient(context).principal);

/**
 * The registry account (`ClientAccount`) of a request that passed `ClientCertGuard`.
 *
 * @example
 * @Get() list(@ClientAccount() account: ClientAccount) { return this.orders.of(account.id); }
 */
export const ClientAccount = createParamDecorator((_: unknown, context: ExecutionContext) => requireClient(context).account);

/** The account type shares the decorator's name, so `@ClientAccount() account: ClientAccount` reads naturally. */
export type ClientAccount = ClientAccountModel;
