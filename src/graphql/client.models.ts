import { Field, Int, ObjectType } from '@nestjs/graphql';

/** What the backend verified about the calling client (the GraphQL twin of `GET /whoami`). */
@ObjectType({ description: 'What the backend verified about the calling client.' })
export class Whoami {
  @Field(() => String, { description: 'The registry account the certificate is bound to.' })
  account!: string;

  @Field(() => String, { description: "The certificate's subject DN (RFC 4514)." })
  subject!: string;

  @Field(() => [String], { description: 'The roles of the account.' })
  roles!: string[];
}

@ObjectType({ description: 'An order of the calling account.' })
export class OrderModel {
  @Field(() => Int)
  id!: number;

  @Field(() => String)
  item!: string;

  @Field(() => Int)
  quantity!: number;

  @Field(() => String)
  createdAt!: string;
}
