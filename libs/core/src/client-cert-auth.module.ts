import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { ClientCertAuthenticator } from './authentication/client-cert.authenticator';
import { CertificateBoundTokenGuard } from './bound-token/certificate-bound-token.guard';
import { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN } from './client-cert-auth.module-definition';
import { RESOLVED_OPTIONS } from './client-cert-auth.tokens';
import { ClientCertGuard } from './guards/client-cert.guard';
import { ClientCertPassportGuard } from './guards/client-cert-passport.guard';
import { ClientCertResponseHints } from './observability/response.hints';
import type { ClientCertAuthOptions } from './options/client-cert-auth.options';
import { resolveOptions } from './options/options.resolver';
import { enforceSetupChecks } from './options/setup.linter';
import { ClientCertStrategy } from './passport/client-cert.strategy';
import { ClientCertConnectionAuthenticator } from './websocket/client-cert-connection.authenticator';

/**
 * Authentication by a client certificate that a trusted proxy forwards in a header.
 * Options are validated once at bootstrap; a bad option stops the app with a message that
 * says how to fix it. Needs a `ClientCertRegistry` provider (e.g. `ClientCertRegistryModule`).
 *
 * @example
 * ClientCertAuthModule.forRootAsync({
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({
 *     proxies: [{ name: 'waf', from: ['10.0.0.0/8'], format: 'rfc9440' }],
 *     trustAnchors: { files: [config.getOrThrow('CLIENT_CA_FILE')] },
 *   }),
 * })
 */
@Module({
  imports: [PassportModule],
  providers: [
    {
      provide: RESOLVED_OPTIONS,
      // Start-up checks run on the resolved options: risky setups refuse to start or warn.
      useFactory: (options: ClientCertAuthOptions) => enforceSetupChecks(resolveOptions(options)),
      inject: [MODULE_OPTIONS_TOKEN],
    },
    ClientCertAuthenticator,
    ClientCertStrategy,
    ClientCertGuard,
    ClientCertPassportGuard,
    CertificateBoundTokenGuard,
    ClientCertResponseHints,
    ClientCertConnectionAuthenticator,
  ],
  exports: [
    ClientCertAuthenticator,
    ClientCertGuard,
    ClientCertPassportGuard,
    CertificateBoundTokenGuard,
    ClientCertResponseHints,
    ClientCertConnectionAuthenticator,
    // For ClientCertMetricsModule and ClientCertHealthIndicator (their own entry points).
    RESOLVED_OPTIONS,
  ],
})
export class ClientCertAuthModule extends ConfigurableModuleClass {}
