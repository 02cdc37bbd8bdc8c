import { Body, Controller, Get, Module, Post, UseGuards } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { ClientAccount, ClientCert, ClientCertAuthModule, ClientCertGuard, RequireClientRoles, type ClientCertPrincipal } from '@client-cert-auth/core';
import { ClientCertRegistryModule, parseDatabaseUrl } from '@client-cert-auth/registry';

@Controller('orders')
@UseGuards(ClientCertGuard)
export class OrdersController {
  @Get()
  list(@ClientCert() cert: ClientCertPrincipal, @ClientAccount() account: ClientAccount) {
    return { subject: cert.subject, account: account.name };
  }

  @Post()
  @RequireClientRoles('orders:write')
  create(@ClientAccount() account: ClientAccount, @Body() order: { item: string }) {
    return { account: account.name, item: order.item };
  }
}

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true }),
    ClientCertRegistryModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({ database: parseDatabaseUrl(config.getOrThrow('DATABASE_URL')) }),
    }),
    ClientCertAuthModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        proxies: [{ name: 'waf', from: config.getOrThrow<string>('WAF_CIDRS').split(','), format: 'rfc9440' }],
        // The root you trust, and the issuing CA for clients that send only their own certificate.
        trustAnchors: { files: [config.getOrThrow('CLIENT_CA_FILE')], intermediateFiles: [config.getOrThrow('CLIENT_INTERMEDIATE_FILE')] },
        revocation: { mode: 'soft-fail' },
      }),
    }),
  ],
  controllers: [OrdersController],
})
export class AppModule {}
