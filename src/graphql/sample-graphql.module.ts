import { DynamicModule, Module } from '@nestjs/common';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { OrdersModule } from '../orders/orders.module';
import type { HttpAdapterName } from '../sample.app';
import { ClientResolver } from './client.resolver';

/**
 * `/graphql`, code first: Apollo Server on Express, Mercurius on Fastify (each adapter's usual
 * server). No playground and no stack traces in errors: the sample shows what clients get.
 */
@Module({})
export class SampleGraphqlModule {
  static forAdapter(adapter: HttpAdapterName): DynamicModule {
    const graphql =
      adapter === 'fastify'
        ? GraphQLModule.forRoot<MercuriusDriverConfig>({ driver: MercuriusDriver, path: '/graphql', autoSchemaFile: true, graphiql: false })
        : GraphQLModule.forRoot<ApolloDriverConfig>({
            driver: ApolloDriver,
            path: '/graphql',
            autoSchemaFile: true,
            playground: false,
            includeStacktraceInErrorResponses: false,
          });
    return { module: SampleGraphqlModule, imports: [graphql, OrdersModule], providers: [ClientResolver] };
  }
}
