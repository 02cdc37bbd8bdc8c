import { BadRequestException } from '@nestjs/common';

export interface CreateOrderDto {
  readonly item: string;
  readonly quantity: number;
}

/** Plain validation keeps the sample free of a validation framework. */
export function parseCreateOrder(body: unknown): CreateOrderDto {
  const { item, quantity } = (body ?? {}) as Record<string, unknown>;
  if (typeof item !== 'string' || item.length === 0 || item.length > 200) {
    throw new BadRequestException('item must be a non-empty string of at most 200 characters');
  }
  const count = quantity === undefined ? 1 : quantity;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 10_000) {
    throw new BadRequestException('quantity must be a whole number from 1 to 10000');
  }
  return { item, quantity: count };
}
