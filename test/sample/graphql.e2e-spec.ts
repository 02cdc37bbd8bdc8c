import { request as httpRequest } from 'node:http';
import { rfc9440, startSample, type SampleHarness } from '../support/sample.harness';
import { sampleValue } from '../observability/support/prometheus.text';

interface GraphqlAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
  };
}

/**
 * The sample's `/graphql` (Apollo Server on Express, Mercurius on Fastify), asked by real HTTP
 * requests over a socket, from 127.0.0.1 (the trusted proxy) unless `from` says otherwise.
 */
describe.each(['express', 'fastify'] as const)('GraphQL on the sample backend (%s)', (adapter) => {
  let sample: SampleHarness;
  let port: number;

  beforeAll(async () => {
    sample = await startSample(adapter);
    await sample.admin.addAccount({ name: 'alice-app', roles: ['orders:write'] });
    await sample.admin.bind({ account: 'alice-app', kind: 'san-uri', value: 'spiffe://test.local/alice' });
    await sample.admin.addAccount({ name: 'bob-app', roles: [] });
    await sample.admin.bind({ account: 'bob-app', kind: 'san-dns', value: 'bob.clients.test' });
    await sample.app.listen(0, '127.0.0.1');
    port = (sample.app.getHttpServer().address() as { port: number }).port;
  });
  afterAll(() => sample?.close());

  function ask(query: string, cert?: Buffer, from = '127.0.0.1'): Promise<GraphqlAnswer> {
    return exchange('POST', '/graphql', JSON.stringify({ query }), cert, from).then((answer) => ({ ...answer, body: JSON.parse(answer.text) }));
  }

  function exchange(method: string, path: string, body: string | undefined, cert: Buffer | undefined, from: string) {
    return new Promise<{ status: number; headers: GraphqlAnswer['headers']; text: string }>((resolve, reject) => {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (cert) headers['Client-Cert'] = rfc9440(cert);
      const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, localAddress: from }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  const decisions = async (result: string) =>
    sampleValue((await exchange('GET', '/metrics', undefined, undefined, '127.0.0.1')).text, 'client_cert_decisions_total', { result, profile: 'waf' });

  it('answers whoami { account subject } for a registered client, with no-store', async () => {
    const answer = await ask('{ whoami { account subject } }', sample.pki.clients.alice.der);
    expect(answer.body).toEqual({ data: { whoami: { account: 'alice-app', subject: 'CN=alice,O=Sample Clients' } } });
    expect(answer.status).toBe(200);
    expect(answer.headers['cache-control']).toBe('no-store');
  });

  it.each([
    ['an unregistered certificate', 'IDENTITY_UNKNOWN', 403, 'mallory', '127.0.0.1'],
    ['no certificate', 'CERT_MISSING', 401, undefined, '127.0.0.1'],
    ['a certificate header from an untrusted source (127.0.0.2)', 'SOURCE_UNTRUSTED', 401, 'alice', '127.0.0.2'],
  ])('refuses %s with a GraphQL error whose extensions.code is %s (Mercurius: HTTP %i)', async (_label, code, status, client, from) => {
    const answer = await ask('{ whoami { account subject } }', client ? sample.pki.clients[client].der : undefined, from);
    expect(answer.body.data ?? null).toBeNull();
    expect(answer.body.errors).toEqual([
      expect.objectContaining({ message: status === 401 ? 'Unauthorized' : 'Forbidden', path: ['whoami'], extensions: expect.objectContaining({ code }) }),
    ]);
    // No stack trace, no internals: the code alone.
    expect(Object.keys(answer.body.errors![0].extensions!)).toEqual(['code']);
    // @nestjs/apollo answers 200 once execution ran; Mercurius the status of an operation's only error.
    expect(answer.status).toBe(adapter === 'express' ? 200 : status);
  });

  it('sends the Client-Cert-Expected hint with a 401, as the REST routes do', async () => {
    const answer = await ask('{ whoami { account } }');
    expect(answer.headers['client-cert-expected']).toMatch(/^client-cert\b/i);
  });

  it('enforces @RequireClientRoles on a resolver field: ROLE_MISSING without orders:write, the order with it', async () => {
    const mutation = 'mutation { createOrder(item: "widget", quantity: 2) { id item quantity } }';
    const refused = await ask(mutation, sample.pki.clients.bob.der);
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: ['createOrder'], extensions: expect.objectContaining({ code: 'ROLE_MISSING' }) })]);
    expect(refused.status).toBe(adapter === 'express' ? 200 : 403);

    const created = await ask(mutation, sample.pki.clients.alice.der);
    expect(created.body).toEqual({ data: { createOrder: { id: expect.any(Number), item: 'widget', quantity: 2 } } });
    const mine = await ask('{ orders { item quantity } }', sample.pki.clients.alice.der);
    expect(mine.body).toEqual({ data: { orders: [{ item: 'widget', quantity: 2 }] } });
  });

  it('authenticates once per HTTP request however many guarded fields the query has', async () => {
    const query = '{ a: whoami { account } b: whoami { subject } orders { id } }';
    const accepted = await decisions('OK');
    const answer = await ask(query, sample.pki.clients.bob.der);
    expect(answer.body).toEqual({ data: { a: { account: 'bob-app' }, b: { subject: 'CN=bob,O=Sample Clients' }, orders: [] } });
    expect((await decisions('OK')) - accepted).toBe(1);

    // A refusal too: one decision. (`whoami` is non-null: graphql-js reports the first failed field.)
    const refused = await decisions('IDENTITY_UNKNOWN');
    const denied = await ask(query, sample.pki.clients.mallory.der);
    expect(denied.body.data ?? null).toBeNull();
    expect(new Set(denied.body.errors?.map((e) => e.extensions?.code))).toEqual(new Set(['IDENTITY_UNKNOWN']));
    expect((await decisions('IDENTITY_UNKNOWN')) - refused).toBe(1);
  });

  it('authenticates each HTTP request afresh: the decision is not carried over to the next one', async () => {
    expect((await ask('{ whoami { account } }', sample.pki.clients.alice.der)).body.data).toEqual({ whoami: { account: 'alice-app' } });
    expect((await ask('{ whoami { account } }', sample.pki.clients.mallory.der)).body.errors?.[0].extensions?.code).toBe('IDENTITY_UNKNOWN');
  });
});
