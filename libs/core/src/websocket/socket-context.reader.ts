import { Logger, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedClient } from '../authentication/authenticated-client';
import type { ClientCertAuthenticator } from '../authentication/client-cert.authenticator';
import { clientCertOf } from '../authentication/request.adapter';
import { ClientCertError } from '../errors/client-cert.error';
import { toWsException } from './socket.refusal';

const logger = new Logger('ClientCertAuth');
/** Gateways already reported as unprotected: one warning each, not one per message. */
const reported = new WeakSet<object>();

/**
 * The client of the connection a gateway message arrived on (context type `ws`): attached once,
 * at the handshake, by `ClientCertConnectionAuthenticator.protect`. None means the gateway does
 * not protect its server: refused, never passed.
 */
export function requireSocketClient(context: ExecutionContext): AuthenticatedClient {
  const client = clientCertOf(context.switchToWs().getClient<object>());
  if (client !== undefined) return client;
  const gateway = context.getClass();
  if (!reported.has(gateway)) {
    reported.add(gateway);
    logger.warn({
      event: 'client_cert.gateway_unprotected',
      message: `${gateway.name} reads the client certificate but its connections are not authenticated: call ClientCertConnectionAuthenticator.protect(server) in afterInit(server)`,
    });
  }
  throw toWsException(new ClientCertError('CERT_MISSING', 'connection not authenticated at its handshake'));
}

/**
 * `ClientCertGuard` on a `@SubscribeMessage` handler: the connection's decision stands (no new
 * validation per message); only the handler's `@RequireClientRoles()` are checked here.
 */
export function authorizeSocketClient(context: ExecutionContext, roles: readonly string[], authenticator: ClientCertAuthenticator): true {
  const client = requireSocketClient(context);
  if (roles.length === 0) return true;
  try {
    authenticator.authorize(client, roles);
  } catch (error) {
    throw toWsException(error);
  }
  return true;
}
