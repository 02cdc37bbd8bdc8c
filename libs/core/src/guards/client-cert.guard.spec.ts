import type { HttpException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { issueCertificate } from '@client-cert-auth/dev-pki';
import { ClientCertAuthenticator } from '../authentication/client-cert.authenticator';
import { clientCertOf } from '../authentication/request.adapter';
import { RequireClientRoles } from '../decorators/require-client-roles.decorator';
import { SkipClientCert } from '../decorators/skip-client-cert.decorator';
import { ClientCertResponseHints } from '../observability/response.hints';
import { resolveOptions } from '../options/options.resolver';
import { ClientCertRegistry } from '../registry/client-cert-registry';
import type { RegistryMatch } from '../registry/client-account';
import { ClientCertGuard } from './client-cert.guard';
import { ClientCertGraphQLError } from './graphql-error.mapper';

class OneAccountRegistry extends ClientCertRegistry {
  async resolve(): Promise<RegistryMatch> {
    return {
      account: { id: 'a1', name: 'orders-app', status: 'active', roles: ['orders:read'] },
      binding: { id: 'b1', kind: 'san-dns', value: 'orders.clients.test' },
    };
  }
  async isDenied(): Promise<boolean> {
    return false;
  }
  override generation(): number {
    return 0;
  }
}

class Routes {
  @RequireClientRoles('orders:read')
  read(): void {}
  @RequireClientRoles('orders:write')
  write(): void {}
  @SkipClientCert()
  open(): void {}
}

const root = issueCertificate({ subject: 'CN=Guard Spec Root,O=Test', key: 'p-256', ca: true });
const client = issueCertificate({ subject: 'CN=orders,O=Test', issuer: root, san: { dns: ['orders.clients.test'] } });
const options = resolveOptions({
  proxies: [{ name: 'waf', from: ['127.0.0.1/32'], format: 'rfc9440' }],
  trustAnchors: { pem: [root.pem] },
  revocation: { mode: 'off' },
  decisions: { accepted: 'off', refused: 'off' },
});
const authenticator = new ClientCertAuthenticator(options, new OneAccountRegistry());
const guard = new ClientCertGuard(authenticator, new Reflector(), new ClientCertResponseHints(options));

function context(handler: keyof Routes, headers: string[]) {
  const request: Record<string, unknown> = { rawHeaders: headers, socket: { remoteAddress: '127.0.0.1' } };
  const sent: Record<string, string> = {};
  const response = { header: (name: string, value: string) => (sent[name] = value) };
  return { ctx: new ExecutionContextHost([request, response], Routes, Routes.prototype[handler]), request, sent };
}

describe('ClientCertGuard', () => {
  const cert = ['Client-Cert', `:${client.der.toString('base64')}:`];

  it('answers a warm request synchronously (no promise), with no-store and the client attached', async () => {
    await guard.canActivate(context('read', cert).ctx);
    await guard.canActivate(context('read', cert).ctx); // admitted to the warm path on its second success
    const { ctx, request, sent } = context('read', cert);
    expect(guard.canActivate(ctx)).toBe(true);
    expect(clientCertOf(request)).toMatchObject({ account: { name: 'orders-app' } });
    expect(sent['cache-control']).toBe('no-store');
  });

  it('refuses a missing role on a warm request with 403, synchronously', async () => {
    await guard.canActivate(context('read', cert).ctx);
    const { ctx, sent } = context('write', cert);
    let thrown: HttpException | undefined;
    try {
      guard.canActivate(ctx);
    } catch (error) {
      thrown = error as HttpException;
    }
    expect([thrown?.getStatus(), thrown?.getResponse()]).toEqual([403, expect.objectContaining({ code: 'ROLE_MISSING' })]);
    expect(sent['cache-control']).toBe('no-store');
  });

  it('keeps the slow path and its 401 hint for a request without certificate', async () => {
    const { ctx, sent } = context('read', ['Host', 'x']);
    const thrown = await Promise.resolve(guard.canActivate(ctx)).catch((error: HttpException) => error);
    expect([(thrown as HttpException).getStatus(), (thrown as HttpException).getResponse()]).toEqual([401, expect.objectContaining({ code: 'CERT_MISSING' })]);
    expect(sent).toMatchObject({ 'cache-control': 'no-store', 'Client-Cert-Expected': 'client-cert' });
  });

  /** A resolver's context as Mercurius builds it: (root, args, { req, reply }, info). */
  function graphqlContext(handler: keyof Routes, request: object, sent: Record<string, string> = {}) {
    const reply = { header: (name: string, value: string) => (sent[name] = value) };
    const ctx = new ExecutionContextHost([{}, {}, { req: request, reply }, {}], Routes, Routes.prototype[handler]);
    ctx.setType('graphql');
    return ctx;
  }

  it('authenticates a GraphQL request once for all its guarded fields, and checks each field’s roles', async () => {
    const decisions: string[] = [];
    const unsubscribe = authenticator.onDecision((decision) => decisions.push(decision.result));
    const request = { raw: { rawHeaders: cert, socket: { remoteAddress: '127.0.0.1' } } };
    try {
      const fields = await Promise.allSettled([guard.canActivate(graphqlContext('read', request)), guard.canActivate(graphqlContext('read', request))]);
      expect(fields).toEqual([
        { status: 'fulfilled', value: true },
        { status: 'fulfilled', value: true },
      ]);
      expect(clientCertOf(request)).toMatchObject({ account: { name: 'orders-app' } });
      const write = await Promise.resolve(guard.canActivate(graphqlContext('write', request))).catch((error: unknown) => error);
      expect(write).toBeInstanceOf(ClientCertGraphQLError);
      expect(write).toMatchObject({ extensions: { code: 'ROLE_MISSING' }, statusCode: 403 });
      expect(decisions).toEqual(['OK', 'ROLE_MISSING']);
    } finally {
      unsubscribe();
    }
  });

  it('lets a @SkipClientCert() resolver through without reading the request', () => {
    expect(guard.canActivate(graphqlContext('open', {}))).toBe(true);
  });

  it('refuses a GraphQL request without certificate with a GraphQL error (CERT_MISSING) and the 401 hint', async () => {
    const sent: Record<string, string> = {};
    const request = { raw: { rawHeaders: ['Host', 'x'], socket: { remoteAddress: '127.0.0.1' } } };
    const thrown = await Promise.resolve(guard.canActivate(graphqlContext('read', request, sent))).catch((error: unknown) => error);
    expect(thrown).toMatchObject({ message: 'Unauthorized', extensions: { code: 'CERT_MISSING' } });
    expect(sent).toMatchObject({ 'cache-control': 'no-store', 'Client-Cert-Expected': 'client-cert' });
  });

  it('fails closed on a context it cannot read (an RPC handler), even when the payload looks like a request with a valid certificate', () => {
    const payload = { rawHeaders: cert, socket: { remoteAddress: '127.0.0.1' } };
    const ctx = new ExecutionContextHost([payload, { header: () => undefined }], Routes, Routes.prototype.read);
    ctx.setType('rpc');
    let thrown: unknown;
    try {
      thrown = guard.canActivate(ctx);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect([(thrown as HttpException).getStatus?.(), (thrown as HttpException).getResponse?.()]).toEqual([
      503,
      expect.objectContaining({ code: 'AUTH_INTERNAL_ERROR' }),
    ]);
  });
});
