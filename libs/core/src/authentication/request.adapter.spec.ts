import { Agent, IncomingMessage, ServerResponse, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Socket } from 'node:net';
import { issueAuthenticatedClient } from './authenticated-client';
import { attachClient, clientCertOf, decideOnce, forbidSharedCaching, toForwardedRequest } from './request.adapter';

const client = issueAuthenticatedClient({ subject: 'CN=a' } as never, { name: 'a' } as never);

describe('request adapter', () => {
  it('reads raw headers and the peer from an Express request (the IncomingMessage itself)', () => {
    const message = new IncomingMessage(new Socket());
    message.rawHeaders = ['Client-Cert', ':x:'];
    expect(toForwardedRequest(message as never)).toEqual({ rawHeaders: ['Client-Cert', ':x:'], remoteAddress: undefined });
  });

  it('reads them from a Fastify request through `raw`', () => {
    const raw = { rawHeaders: ['Client-Cert', ':x:'], socket: { remoteAddress: '10.0.0.1' } };
    expect(toForwardedRequest({ raw } as never)).toEqual({ rawHeaders: ['Client-Cert', ':x:'], remoteAddress: '10.0.0.1' });
  });

  it("reads the peer address and the server's header-line limit once per connection, as Node fixes them", async () => {
    const seen: Array<{ socket: unknown; forwarded: ReturnType<typeof toForwardedRequest> }> = [];
    const server = createServer((message, response) => {
      seen.push({ socket: message.socket, forwarded: toForwardedRequest(message as never) });
      // Changed after the connection opened: Node keeps the limit it gave the connection, and so do we.
      server.maxHeadersCount = 7;
      response.end('ok');
    });
    server.maxHeadersCount = 50;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<void>((resolve, reject) =>
        httpRequest({ port: (server.address() as AddressInfo).port, host: '127.0.0.1', agent }, (response) => response.resume().on('end', resolve))
          .on('error', reject)
          .end(),
      );
    try {
      await get();
      await get();
    } finally {
      agent.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
    expect(seen).toHaveLength(2);
    expect(seen[1].socket).toBe(seen[0].socket); // one connection
    for (const { forwarded } of seen) expect(forwarded).toMatchObject({ remoteAddress: '127.0.0.1', headerLineLimit: 50 });
    // Kept under a symbol that no enumeration or copy of the socket sees.
    const socket = seen[0].socket as object;
    const kept = Object.getOwnPropertySymbols(socket).filter((symbol) => symbol.description === 'clientCertConnection');
    expect(kept).toHaveLength(1);
    expect(Object.prototype.propertyIsEnumerable.call(socket, kept[0])).toBe(false);
  });

  it('does not keep the facts of a socket without a peer address, nor fail on a socket that takes no property', () => {
    const unconnected = new Socket();
    const message = new IncomingMessage(unconnected);
    expect(toForwardedRequest(message as never).remoteAddress).toBeUndefined();
    expect(Object.getOwnPropertySymbols(unconnected).map(String)).not.toContain('Symbol(clientCertConnection)');
    const frozen = Object.freeze({ remoteAddress: '10.0.0.9', server: Object.freeze({ maxHeadersCount: 20 }) });
    const raw = { rawHeaders: ['Client-Cert', ':x:'], socket: frozen };
    expect(toForwardedRequest({ raw } as never)).toMatchObject({ remoteAddress: '10.0.0.9', headerLineLimit: 20 });
    expect(toForwardedRequest({ raw } as never)).toMatchObject({ remoteAddress: '10.0.0.9', headerLineLimit: 20 });
  });

  /** An Express exchange as Express 5 leaves it: res.locals set, req.res linked. */
  function express() {
    const request = new IncomingMessage(new Socket()) as IncomingMessage & { res?: unknown };
    const response = new ServerResponse(request) as ServerResponse & { locals?: object; header(): void };
    response.locals = Object.create(null);
    request.res = response;
    return { request, response };
  }

  function fastify() {
    const sent: Record<string, string> = {};
    return { request: { raw: new IncomingMessage(new Socket()) }, response: { header: (name: string, value: string) => (sent[name] = value), sent } };
  }

  it.each([
    ['an Express request', express],
    ['a Fastify request', fastify],
  ])('hands the attached client back for %s, and only for it, without an enumerable property on the request', (_label, make) => {
    const { request, response } = make();
    const keys = Object.keys(request);
    expect(clientCertOf(request)).toBeUndefined();
    attachClient(request as never, response as never, client);
    expect(clientCertOf(request)).toBe(client);
    expect(Object.keys(request)).toEqual(keys);
    expect(clientCertOf(make().request)).toBeUndefined();
  });

  it('sets Cache-Control: no-store through Node on Express and through the reply on Fastify', () => {
    const e = express();
    forbidSharedCaching(e.response as never);
    expect(e.response.getHeader('cache-control')).toBe('no-store');
    const f = fastify();
    forbidSharedCaching(f.response as never);
    expect(f.response.sent).toEqual({ 'cache-control': 'no-store' });
  });

  it('finds the client Passport left in request.user, and nothing else there', () => {
    expect(clientCertOf({ user: client })).toBe(client);
    expect(clientCertOf({ user: { id: 1 } })).toBeUndefined();
  });

  it('does not take an object of the same shape made elsewhere (a JWT payload) for the client', () => {
    expect(clientCertOf({ user: { principal: client.principal, account: client.account } })).toBeUndefined();
    expect(clientCertOf({ user: Object.freeze({ ...client }) })).toBeUndefined();
    // Not even one built on a real client's prototype.
    const lookalike = Object.assign(Object.create(Object.getPrototypeOf(client) as object) as object, { principal: client.principal, account: client.account });
    expect(clientCertOf({ user: lookalike })).toBeUndefined();
  });

  it('hands out a frozen { principal, account } and nothing more', () => {
    expect(Object.isFrozen(client)).toBe(true);
    expect(Object.keys(client)).toEqual(['principal', 'account']);
    expect(JSON.parse(JSON.stringify(client))).toEqual({ principal: { subject: 'CN=a' }, account: { name: 'a' } });
  });

  it('decides once per request: concurrent and later callers share the first decision, another request gets its own', async () => {
    let runs = 0;
    const decide = () => {
      runs++;
      return new Promise<typeof client>((resolve) => setImmediate(() => resolve(client)));
    };
    const request = {};
    const [a, b] = [decideOnce(request, decide), decideOnce(request, decide)];
    expect(b).toBe(a);
    await expect(a).resolves.toBe(client);
    await decideOnce(request, decide);
    expect(runs).toBe(1);
    await decideOnce({}, decide);
    expect(runs).toBe(2);
    expect(Object.keys(request)).toEqual([]);
  });

  it('keeps a refusal for the rest of the request too', async () => {
    let runs = 0;
    const refuse = () => {
      runs++;
      return Promise.reject(new Error('IDENTITY_UNKNOWN'));
    };
    const request = {};
    await expect(decideOnce(request, refuse)).rejects.toThrow('IDENTITY_UNKNOWN');
    await expect(decideOnce(request, refuse)).rejects.toThrow('IDENTITY_UNKNOWN');
    expect(runs).toBe(1);
  });
});
