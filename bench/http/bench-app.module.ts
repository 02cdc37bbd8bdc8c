import { DynamicModule, Module } from '@nestjs/common';
// Deep imports: the bench measures the library's classes, whatever the public index is doing meanwhile.
import { ClientCertAuthModule } from '@client-cert-auth/core';
import { clientCertOptionsFromSettings } from '@client-cert-auth/core';
import { ClientCertRegistryModule, parseDatabaseUrl } from '@client-cert-auth/registry';
import { BenchController } from './bench.controller';
import { HandWrittenTrust } from './hand-written.guard';

/**
 * The bench app: the real library on a real SQLite registry, configured through the same
 * `CLIENT_CERT_*` settings as the sample backend (no ConfigModule: the settings are a plain map),
 * and the hand-written guard's trust read from the same files.
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
      providers: [{ provide: HandWrittenTrust, useFactory: () => HandWrittenTrust.fromSettings(settings) }],
    };
  }
}
