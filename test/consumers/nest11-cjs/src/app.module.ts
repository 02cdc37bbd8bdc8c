import { join } from 'node:path';
import { DynamicModule, Module } from '@nestjs/common';
import { ClientCertAuthModule } from '@client-cert-auth/core';
import { ClientCertRegistryModule, parseDatabaseUrl } from '@client-cert-auth/registry';
import { OrdersController } from './orders.controller';

/** The registry from a database URL, trust anchors from a dev PKI folder, one proxy: loopback 127.0.0.1 only. */
@Module({})
export class AppModule {
  static register(settings: { databaseUrl: string; pkiDir: string }): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ClientCertRegistryModule.forRoot({ database: parseDatabaseUrl(settings.databaseUrl) }),
        ClientCertAuthModule.forRoot({
          proxies: [{ name: 'loopback', from: ['127.0.0.1/32'], format: 'rfc9440' }],
          trustAnchors: {
            files: [join(settings.pkiDir, 'root.pem')],
            intermediateFiles: [join(settings.pkiDir, 'intermediate.pem')],
          },
          revocation: { mode: 'off' },
        }),
      ],
      controllers: [OrdersController],
    };
  }
}
