import { Controller, Get, UseGuards } from '@nestjs/common';
import { ClientAccount, ClientCert, ClientCertPassportGuard, type ClientCertPrincipal } from '@client-cert-auth/core';

/**
 * Shows a client what the backend verified about it: handy when wiring a new proxy. Guarded
 * through the Passport strategy, to show that path (same decisions as ClientCertGuard).
 */
@Controller('whoami')
@UseGuards(ClientCertPassportGuard)
export class WhoamiController {
  @Get()
  whoami(@ClientCert() cert: ClientCertPrincipal, @ClientAccount() account: ClientAccount): { account: ClientAccount; principal: ClientCertPrincipal } {
    return { account, principal: cert };
  }
}
