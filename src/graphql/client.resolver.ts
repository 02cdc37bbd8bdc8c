import { UseGuards } from '@nestjs/common';
import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ClientAccount, ClientCert, ClientCertGuard, RequireClientRoles, type ClientCertPrincipal } from '@client-cert-auth/core';
import { parseCreateOrder } from '../orders/create-order.dto';
import { OrdersService } from '../orders/orders.service';
import { OrderModel, Whoami } from './client.models';

/**
 * The sample's GraphQL API, code first, guarded like the REST controllers: the same guard, the
 * same decorators, the same codes (in each error's `extensions.code`). Every guarded field of an
 * operation shares one authentication of its HTTP request.
 */
@Resolver()
@UseGuards(ClientCertGuard)
export class ClientResolver {
  constructor(private readonly ordersService: OrdersService) {}

  @Query(() => Whoami, { description: 'The account and certificate subject of the caller.' })
  whoami(@ClientAccount() account: ClientAccount, @ClientCert() cert: ClientCertPrincipal): Whoami {
    return { account: account.name, subject: cert.subject, roles: [...account.roles] };
  }

  @Query(() => [OrderModel], { description: "The caller's own orders." })
  orders(@ClientAccount() account: ClientAccount): OrderModel[] {
    return this.ordersService.listFor(account.id);
  }

  @Mutation(() => OrderModel, { description: 'Places an order; needs the orders:write role, as POST /orders does.' })
  @RequireClientRoles('orders:write')
  createOrder(
    @ClientAccount() account: ClientAccount,
    @Args('item', { type: () => String }) item: string,
    @Args('quantity', { type: () => Int, nullable: true }) quantity?: number,
  ): OrderModel {
    const order = parseCreateOrder({ item, quantity: quantity ?? undefined });
    return this.ordersService.create(account.id, order.item, order.quantity);
  }
}
