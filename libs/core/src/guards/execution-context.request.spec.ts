import { HttpException } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { ClientCertGraphQLError } from './graphql-error.mapper';
import { exceptionFor } from './http-error.mapper';
import { requestOfContext, unreadableContextRefusal, UnsupportedContextError } from './execution-context.request';

function contextOf(type: string, args: unknown[]): ExecutionContextHost {
  const context = new ExecutionContextHost(args);
  context.setType(type);
  return context;
}

const request = { rawHeaders: ['Client-Cert', ':x:'] };
const response = { header: () => undefined };

describe('requestOfContext', () => {
  it('reads an HTTP handler’s (request, response) arguments, and keeps HTTP refusals as they are', () => {
    const found = requestOfContext(contextOf('http', [request, response, () => undefined]));
    expect(found).toMatchObject({ transport: 'http', request, response });
    const refusal = exceptionFor('CERT_MISSING');
    expect(found.refuse(refusal)).toBe(refusal);
  });

  const expressRequest = { rawHeaders: [], res: { setHeader: () => undefined, header: () => undefined, locals: {} } };
  const fastifyRequest = { raw: { rawHeaders: [] } };
  const reply = { header: () => undefined, request: fastifyRequest };

  it.each([
    ['Apollo on Express: { req }, the response from req.res', { req: expressRequest }, expressRequest, expressRequest.res],
    ['a context that names its response: { req, res }', { req: expressRequest, res: response }, expressRequest, response],
    ['Mercurius: { req, reply }', { req: fastifyRequest, reply, app: {} }, fastifyRequest, reply],
    ['Mercurius without req: the reply’s request', { reply }, fastifyRequest, reply],
    ['Apollo on Fastify: { req } and no reply', { req: fastifyRequest }, fastifyRequest, undefined],
  ])('finds the request of a GraphQL resolver in its context (args[2]): %s', (_label, graphqlContext, expectedRequest, expectedResponse) => {
    const found = requestOfContext(contextOf('graphql', [{}, {}, graphqlContext, {}]));
    expect(found.transport).toBe('graphql');
    expect(found.request).toBe(expectedRequest);
    expect(found.response).toBe(expectedResponse);
  });

  it('turns a refusal into a GraphQL error carrying the stable code, not an HttpException, and without stack frames', () => {
    const found = requestOfContext(contextOf('graphql', [{}, {}, { req: fastifyRequest }, {}]));
    const refusal = found.refuse(exceptionFor('IDENTITY_UNKNOWN'));
    expect(refusal).toBeInstanceOf(ClientCertGraphQLError);
    expect(refusal).not.toBeInstanceOf(HttpException);
    expect(refusal).toMatchObject({ message: 'Forbidden', extensions: { code: 'IDENTITY_UNKNOWN' }, statusCode: 403 });
    expect(refusal.stack).not.toMatch(/\n\s+at /);
  });

  it.each([
    ['no context at all', undefined],
    ['a context a custom factory built without req', { user: 'x' }],
    ['a req that is not an object', { req: 'GET /' }],
  ])('refuses a GraphQL context with no request (%s) with a message that says what to do', (_label, graphqlContext) => {
    expect(() => requestOfContext(contextOf('graphql', [{}, {}, graphqlContext, {}]))).toThrow(
      new UnsupportedContextError(
        'ClientCertGuard found no HTTP request in the GraphQL context: when you pass your own `context` to GraphQLModule, keep `req` in the object it returns.',
      ),
    );
  });

  it.each(['rpc', 'ws', 'something-new'])('refuses a %s context (no transport case for it) instead of reading its arguments as HTTP', (type) => {
    // An RPC handler's first argument is its payload: reading it as a request could let its
    // fields pass for headers. Refused by name.
    expect(() => requestOfContext(contextOf(type, [request, response]))).toThrow(UnsupportedContextError);
    expect(() => requestOfContext(contextOf(type, [request, response]))).toThrow(`in a '${type}' context`);
  });

  function failureOf(read: () => unknown): unknown {
    try {
      read();
    } catch (error) {
      return error;
    }
    throw new Error('expected a failure');
  }

  it('refuses a wiring mistake with AUTH_INTERNAL_ERROR (503) in the transport’s form when it is known', () => {
    const graphql = unreadableContextRefusal(failureOf(() => requestOfContext(contextOf('graphql', [{}, {}, {}, {}]))));
    expect(graphql).toBeInstanceOf(ClientCertGraphQLError);
    expect(graphql).toMatchObject({ extensions: { code: 'AUTH_INTERNAL_ERROR' }, statusCode: 503 });
    const rpc = unreadableContextRefusal(failureOf(() => requestOfContext(contextOf('rpc', [{}, {}]))));
    expect(rpc).toBeInstanceOf(HttpException);
    expect([(rpc as HttpException).getStatus(), (rpc as HttpException).getResponse()]).toEqual([503, expect.objectContaining({ code: 'AUTH_INTERNAL_ERROR' })]);
  });
});
