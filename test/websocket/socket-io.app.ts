import { Module, UseGuards, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { SubscribeMessage, WebSocketGateway, type OnGatewayConnection, type OnGatewayInit } from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import {
  ClientAccount,
  ClientCert,
  ClientCertAuthModule,
  ClientCertConnectionAuthenticator,
  ClientCertGuard,
  clientCertOf,
  RequireClientRoles,
  type ClientCertPrincipal,
} from '@client-cert-auth/core';
import { ClientCertRegistryModule, parseDatabaseUrl } from '@client-cert-auth/registry';

/** A socket.io gateway the way the docs set it up: protect() in afterInit, the guard on the class. */
@WebSocketGateway({ namespace: 'orders' })
@UseGuards(ClientCertGuard)
class OrdersIoGateway implements OnGatewayInit, OnGatewayConnection {
  constructor(private readonly connections: ClientCertConnectionAuthenticator) {}

  afterInit(server: unknown): void {
    this.connections.protect(server);
  }

  handleConnection(socket: Socket): void {
    const client = clientCertOf(socket);
    socket.emit('welcome', { account: client?.account.name, subject: client?.principal.subject });
  }

  @SubscribeMessage('whoami')
  whoami(@ClientAccount() account: ClientAccount, @ClientCert() cert: ClientCertPrincipal) {
    return { account: account.name, subject: cert.subject };
  }

  @SubscribeMessage('orders')
  @RequireClientRoles('orders:read')
  orders(@ClientAccount() account: ClientAccount) {
    return { account: account.name, orders: [] };
  }
}

/** The wiring mistake: a gateway that reads the client but never protects its server. */
@WebSocketGateway({ namespace: 'unprotected' })
@UseGuards(ClientCertGuard)
class UnprotectedIoGateway {
  @SubscribeMessage('whoami')
  whoami(@ClientAccount() account: ClientAccount) {
    return { account: account.name };
  }
}

export interface SocketIoAppSettings {
  readonly rootFile: string;
  readonly intermediateFile: string;
  readonly databaseFile: string;
  /** The proxy ranges trusted to forward the header. */
  readonly proxyFrom: readonly string[];
}

/** An app whose gateways run on the socket.io adapter, listening on a random loopback port. */
export async function createSocketIoApp(settings: SocketIoAppSettings): Promise<{ app: INestApplication; url: string }> {
  @Module({
    imports: [
      ClientCertRegistryModule.forRoot({ database: parseDatabaseUrl(`sqlite:${settings.databaseFile}`) }),
      ClientCertAuthModule.forRoot({
        proxies: [{ name: 'waf', from: [...settings.proxyFrom], format: 'rfc9440' }],
        trustAnchors: { files: [settings.rootFile], intermediateFiles: [settings.intermediateFile] },
        revocation: { mode: 'off' },
      }),
    ],
    providers: [OrdersIoGateway, UnprotectedIoGateway],
  })
  class SocketIoAppModule {}

  const moduleRef = await Test.createTestingModule({ imports: [SocketIoAppModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  app.useWebSocketAdapter(new IoAdapter(app));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}` };
}
