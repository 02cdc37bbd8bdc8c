import { HttpException } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { attachClient } from '../authentication/request.adapter';
import { issueAuthenticatedClient } from '../authentication/authenticated-client';
import { ClientCertGraphQLError } from '../guards/graphql-error.mapper';
import { ClientAccount, ClientCert } from './client-cert.decorator';

class Handlers {
  read(@ClientCert() _cert: unknown, @ClientAccount() _account: unknown): void {}
}

/** The factories Nest calls for the two parameters, in parameter order. */
const [readCert, readAccount] = Object.values(
  Reflect.getMetadata(ROUTE_ARGS_METADATA, Handlers, 'read') as Record<string, { index: number; factory: (data: unknown, context: unknown) => unknown }>,
)
  .sort((a, b) => a.index - b.index)
  .map((arg) => arg.factory);

const client = issueAuthenticatedClient({ subject: 'CN=a' } as never, { name: 'a-app' } as never);

function context(type: 'http' | 'graphql', request: object): ExecutionContextHost {
  const ctx = new ExecutionContextHost(type === 'http' ? [request, { header: () => undefined }] : [{}, {}, { req: request }, {}]);
  ctx.setType(type);
  return ctx;
}

describe('@ClientCert() and @ClientAccount()', () => {
  it.each(['http', 'graphql'] as const)('hand a %s handler the principal and the account the guard attached', (type) => {
    const request = {};
    attachClient(request, undefined, client);
    expect(readCert(undefined, context(type, request))).toBe(client.principal);
    expect(readAccount(undefined, context(type, request))).toBe(client.account);
  });

  it('refuse an unguarded controller route with 401 CERT_MISSING', () => {
    expect(() => readAccount(undefined, context('http', {}))).toThrow(HttpException);
  });

  it('refuse an unguarded resolver with a GraphQL error CERT_MISSING, not an HttpException', () => {
    let thrown: unknown;
    try {
      readAccount(undefined, context('graphql', {}));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ClientCertGraphQLError);
    expect(thrown).toMatchObject({ extensions: { code: 'CERT_MISSING' } });
  });
});
