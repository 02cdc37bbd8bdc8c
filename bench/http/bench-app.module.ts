import { DynamicModule, Module } from '@nestjs/common';
// Deep imports: the bench measures the library's classes, whatever the public index is doing meanwhile.
import { ClientCertAuthModule } from '@app/client-cert-auth/client-cert-auth.module';
import { clientCertOptionsFromSettings } from '@app/client-cert-auth/options/env.options';
import { ClientCertRegistryModule, parseDatabaseUrl } from '@app/client-cert-registry';
import { BenchController } from './bench.controller';

/**
 * The bench app: the real library on a real SQLite registry, configured through the same
 * `CLIENT_CERT_*` settings as the sample backend (no ConfigModule: the settings are a plain map).
 */
@Module({})
export class BenchAppModule {
  static register(settings: Record<string, string>): DynamicModule {
    return {
      module: BenchAppModule,
      imports: [
        ClientCertRegistryModule.forRoot({ database: parseDatabaseUrl(settings.CLIENT_CERT_DATABASE_URL) }),
        ClientCertAuthModule.forRoot(clientCertOptionsFromSettings({ get: <T>(key: string) => settings[key] as T | undefined })),
      ],
      controllers: [BenchController],
    };
  }
}
