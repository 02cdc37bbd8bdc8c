import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ClientAccount, ClientCert, ClientCertGuard, RequireClientRoles, type ClientCertPrincipal } from '@client-cert-auth/core';
import { parseCreateOrder } from './create-order.dto';
import { OrdersService } from './orders.service';

@Controller('orders')
@UseGuards(ClientCertGuard)
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Get()
  list(@ClientAccount() account: ClientAccount, @ClientCert() cert: ClientCertPrincipal) {
    return { account: account.name, subject: cert.subject, matchedBy: cert.binding?.kind, orders: this.orders.listFor(account.id) };
  }

  @Post()
  @HttpCode(201)
  @RequireClientRoles('orders:write')
  create(@ClientAccount() account: ClientAccount, @Body() body: unknown) {
    const { item, quantity } = parseCreateOrder(body);
    return this.orders.create(account.id, item, quantity);
  }
}
