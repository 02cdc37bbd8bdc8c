import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { ClientCertAuthModule, clientCertOptionsFromSettings } from '@client-cert-auth/core';
import { ClientCertRegistryModule, DEFAULT_DATABASE_URL, parseDatabaseUrl } from '@client-cert-auth/registry';
import { BoundTokenModule } from './bound-token/bound-token.module';
import { SampleGraphqlModule } from './graphql/sample-graphql.module';
import { HealthModule } from './health/health.module';
import { OrdersModule } from './orders/orders.module';
import { WebSocketModule } from './websocket/websocket.module';
import type { HttpAdapterName } from './sample.app';

/**
 * The sample backend: a small orders API whose clients are authenticated by the certificate
 * a trusted proxy forwards. Everything comes from `CLIENT_CERT_*` settings (see .env.example).
 */
@Module({})
export class AppModule {
  /**
   * @param settings values that take the place of `.env` (tests pass their own).
   * @param adapter the HTTP adapter, which picks the GraphQL server (Apollo on Express, Mercurius on Fastify).
   */
  static register(settings?: Record<string, string>, adapter: HttpAdapterName = 'express'): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ...(settings ? { ignoreEnvFile: true, load: [() => settings] } : {}),
        }),
        ClientCertRegistryModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService) => ({
            database: parseDatabaseUrl(config.get<string>('CLIENT_CERT_DATABASE_URL') ?? DEFAULT_DATABASE_URL),
          }),
        }),
        ClientCertAuthModule.forRootAsync({
          inject: [ConfigService],
          // The sample always records metrics (served on /metrics by HealthModule).
          useFactory: (config: ConfigService) => ({ ...clientCertOptionsFromSettings(config), metrics: { enabled: true } }),
        }),
        OrdersModule,
        HealthModule,
        WebSocketModule,
        SampleGraphqlModule.forAdapter(adapter),
        BoundTokenModule,
      ],
    };
  }
}
