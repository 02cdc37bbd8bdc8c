import { DynamicModule, Module } from '@nestjs/common';
// Deep imports: the bench measures the library's classes, whatever the public index is doing meanwhile.
import { ClientCertAuthModule, type ClientCertAuthOptions } from '@client-cert-auth/core';
import { clientCertOptionsFromSettings } from '@client-cert-auth/core';
import { ClientCertRegistryModule, parseDatabaseUrl } from '@client-cert-auth/registry';
import { BenchController } from './bench.controller';
import { HandWrittenTrust } from './hand-written.guard';

/**
 * BENCH_SIGNATURE_THREAD_POOL=0|1 sets `validation.signatureThreadPool` (unset: the module's
 * default), so one PKI can be measured with the pre-verification on and off.
 */
function withThreadPoolSwitch(options: ClientCertAuthOptions, settings: Record<string, string>): ClientCertAuthOptions {
  const value = settings.BENCH_SIGNATURE_THREAD_POOL;
  if (value === undefined || value === '') return options;
  return { ...options, validation: { ...options.validation, signatureThreadPool: value === '1' } };
}

/**
 * The bench app: the real library on a real SQLite registry, configured through the same
 * `CLIENT_CERT_*` settings as the sample backend (no ConfigModule: the settings are a plain map),
 * and the hand-written guard's trust read from the same files (the raw-verify guard takes its
 * intermediate key from it too: one load at start-up for both).
 */
@Module({})
export class BenchAppModule {
  static register(settings: Record<string, string>): DynamicModule {
    return {
      module: BenchAppModule,
      imports: [
        ClientCertRegistryModule.forRoot({ database: parseDatabaseUrl(settings.CLIENT_CERT_DATABASE_URL) }),
        ClientCertAuthModule.forRoot(
          withThreadPoolSwitch(clientCertOptionsFromSettings({ get: <T>(key: string) => settings[key] as T | undefined }), settings),
        ),
      ],
      controllers: [BenchController],
      providers: [{ provide: HandWrittenTrust, useFactory: () => HandWrittenTrust.fromSettings(settings) }],
    };
  }
}
