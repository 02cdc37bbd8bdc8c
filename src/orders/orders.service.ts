import { Injectable } from '@nestjs/common';
import type { Order } from './order';

/**
 * The sample's business logic: each account sees and creates only its own orders. Kept in memory
 * on purpose: the sample is about who the caller is, not about storing orders.
 */
@Injectable()
export class OrdersService {
  private readonly orders: Order[] = [];
  private nextId = 1;

  listFor(accountId: string): Order[] {
    return this.orders.filter((order) => order.accountId === accountId);
  }

  create(accountId: string, item: string, quantity: number): Order {
    const order: Order = { id: this.nextId++, accountId, item, quantity, createdAt: new Date().toISOString() };
    this.orders.push(order);
    return order;
  }
}
