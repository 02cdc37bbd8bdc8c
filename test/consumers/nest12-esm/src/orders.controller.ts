import { Controller, Get, UseGuards } from '@nestjs/common';
import { ClientAccount, ClientCert, ClientCertGuard, type ClientCertPrincipal } from '@client-cert-auth/core';

@Controller('orders')
@UseGuards(ClientCertGuard)
export class OrdersController {
  @Get()
  list(@ClientAccount() account: ClientAccount, @ClientCert() cert: ClientCertPrincipal) {
    return { account: account.name, subject: cert.subject, orders: [] };
  }
}
