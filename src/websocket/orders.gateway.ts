import { UseGuards } from '@nestjs/common';
import { SubscribeMessage, WebSocketGateway, type OnGatewayConnection, type OnGatewayInit, type WsResponse } from '@nestjs/websockets';
import type { WebSocket } from 'ws';
import {
  ClientAccount,
  ClientCert,
  ClientCertConnectionAuthenticator,
  ClientCertGuard,
  clientCertOf,
  RequireClientRoles,
  type ClientCertPrincipal,
} from '@client-cert-auth/core';
import { OrdersService } from '../orders/orders.service';

/** What an accepted connection is told first, and what `whoami` answers. */
export interface WhoamiMessage {
  readonly account: string;
  readonly subject: string;
}

/**
 * `/ws` on the HTTP port (the `ws` adapter): each connection is authenticated once, by the
 * certificate its upgrade request forwards, and greeted with who it is; a refused one is closed
 * with 4401/4403 and the code as reason. Messages reuse the connection's client: `whoami`, and
 * `orders`, which needs the `orders:read` role.
 */
@WebSocketGateway({ path: '/ws' })
@UseGuards(ClientCertGuard)
export class OrdersGateway implements OnGatewayInit, OnGatewayConnection {
  constructor(
    private readonly connections: ClientCertConnectionAuthenticator,
    private readonly orders: OrdersService,
  ) {}

  afterInit(server: unknown): void {
    this.connections.protect(server);
  }

  handleConnection(socket: WebSocket): void {
    // A refused connection is already closing, without a client.
    const client = clientCertOf(socket);
    if (client) socket.send(JSON.stringify({ account: client.account.name, subject: client.principal.subject } satisfies WhoamiMessage));
  }

  @SubscribeMessage('whoami')
  whoami(@ClientAccount() account: ClientAccount, @ClientCert() cert: ClientCertPrincipal): WsResponse<WhoamiMessage> {
    return { event: 'whoami', data: { account: account.name, subject: cert.subject } };
  }

  @SubscribeMessage('orders')
  @RequireClientRoles('orders:read')
  list(@ClientAccount() account: ClientAccount): WsResponse<{ account: string; orders: unknown[] }> {
    return { event: 'orders', data: { account: account.name, orders: this.orders.listFor(account.id) } };
  }
}
