/** An order placed by an API client account. */
export interface Order {
  readonly id: number;
  readonly accountId: string;
  readonly item: string;
  readonly quantity: number;
  readonly createdAt: string;
}
