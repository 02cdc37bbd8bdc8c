import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { rfc9440, startSample, type SampleHarness } from '../support/sample.harness';
import { sampleValue } from '../observability/support/prometheus.text';
import { wsExampleLines } from '../../src/websocket/ws-example.lines';
import { WsSession } from './support/ws.session';

/** Starts the sample on a real port (the `ws` adapter shares the HTTP server) and returns its `/ws` URL. */
async function listen(sample: SampleHarness): Promise<string> {
  await sample.app.listen(0, '127.0.0.1');
  const { port } = sample.app.getHttpServer().address() as AddressInfo;
  return `ws://127.0.0.1:${port}/ws`;
}

describe.each(['express', 'fastify'] as const)('the sample /ws gateway (ws adapter) on %s', (adapter) => {
  let sample: SampleHarness;
  let url: string;
  const certHeader = (name: string) => ({ 'Client-Cert': rfc9440(sample.pki.clients[name].der) });

  beforeAll(async () => {
    sample = await startSample(adapter);
    await sample.admin.addAccount({ name: 'alice-app', roles: ['orders:read'] });
    await sample.admin.bind({ account: 'alice-app', kind: 'san-uri', value: 'spiffe://test.local/alice' });
    await sample.admin.addAccount({ name: 'bob-app', roles: [] });
    await sample.admin.bind({ account: 'bob-app', kind: 'san-dns', value: 'bob.clients.test' });
    url = await listen(sample);
  });
  afterAll(() => sample.close());

  it('greets an accepted connection with its account and subject', async () => {
    const session = WsSession.open(url, certHeader('alice'));
    await expect(session.next()).resolves.toEqual({ account: 'alice-app', subject: 'CN=alice,O=Sample Clients' });
    await expect(session.close()).resolves.toEqual({ code: 1005, reason: '' });
  });

  it.each([
    ['no certificate', 4401, 'CERT_MISSING', undefined],
    ['an unregistered certificate', 4403, 'IDENTITY_UNKNOWN', 'mallory'],
  ])('closes a connection with %s: %i %s, before any message', async (_label, code, reason, client) => {
    const session = WsSession.open(url, client ? certHeader(client) : {});
    await expect(session.closed).resolves.toEqual({ code, reason });
    await expect(session.next(50)).rejects.toThrow(/no message/);
  });

  it('closes a connection whose header is malformed: 4400 HEADER_MALFORMED', async () => {
    const session = WsSession.open(url, { 'Client-Cert': 'not a structured field' });
    await expect(session.closed).resolves.toEqual({ code: 4400, reason: 'HEADER_MALFORMED' });
  });

  it("enforces @RequireClientRoles() on a @SubscribeMessage handler with the connection's account", async () => {
    const alice = WsSession.open(url, certHeader('alice'));
    const bob = WsSession.open(url, certHeader('bob'));
    await alice.next();
    await bob.next();
    alice.send('orders');
    bob.send('orders');
    await expect(alice.next()).resolves.toEqual({ event: 'orders', data: { account: 'alice-app', orders: [] } });
    await expect(bob.next()).resolves.toEqual({ event: 'exception', data: { statusCode: 403, error: 'Forbidden', code: 'ROLE_MISSING' } });
    // The refusal is of one message: the connection stays open and its other handlers answer.
    bob.send('whoami');
    await expect(bob.next()).resolves.toEqual({ event: 'whoami', data: { account: 'bob-app', subject: 'CN=bob,O=Sample Clients' } });
    await Promise.all([alice.close(), bob.close()]);
  });

  it('authenticates once per connection: several messages, one decision', async () => {
    const decisions = async () =>
      sampleValue((await request(sample.app.getHttpServer()).get('/metrics').expect(200)).text, 'client_cert_decisions_total', { result: 'OK' });
    const before = await decisions();
    const session = WsSession.open(url, certHeader('alice'));
    await session.next();
    for (let i = 0; i < 5; i++) {
      session.send('whoami');
      await expect(session.next()).resolves.toEqual({ event: 'whoami', data: { account: 'alice-app', subject: 'CN=alice,O=Sample Clients' } });
    }
    await session.close();
    expect((await decisions()) - before).toBe(1);
  });
});

describe('the WebSocket line of the start-up output', () => {
  let sample: SampleHarness;
  afterAll(() => sample?.close());

  it('works as printed: greets the enrolled client, prints 4403 IDENTITY_UNKNOWN for the unenrolled one', async () => {
    sample = await startSample('express');
    await sample.admin.addAccount({ name: 'alice-app', roles: [] });
    await sample.admin.bind({ account: 'alice-app', kind: 'san-uri', value: 'spiffe://test.local/alice' });
    await listen(sample);
    const { port } = sample.app.getHttpServer().address() as AddressInfo;
    // The dev PKI's `.header` files, as prepareDevEnvironment writes them.
    const headerFile = (client: string) => {
      const file = join(sample.dir, `${client}.header`);
      writeFileSync(file, `Client-Cert: ${rfc9440(sample.pki.clients[client].der)}\n`);
      return file;
    };
    const run = async (client: string) => {
      const [line] = wsExampleLines(() => headerFile(client), `http://127.0.0.1:${port}`);
      return (await promisify(execFile)('bash', ['-c', line], { cwd: join(__dirname, '../..'), timeout: 20_000 })).stdout.trim();
    };
    expect(JSON.parse(await run('alice'))).toEqual({ account: 'alice-app', subject: 'CN=alice,O=Sample Clients' });
    expect(await run('mallory')).toBe('4403 IDENTITY_UNKNOWN');
  });
});

describe('the sample /ws gateway behind an untrusted peer', () => {
  let sample: SampleHarness;
  afterAll(() => sample?.close());

  it('closes a connection whose header comes from outside the proxy ranges: 4401 SOURCE_UNTRUSTED', async () => {
    sample = await startSample('express', { CLIENT_CERT_PROXY_FROM: '10.0.0.0/8' });
    const session = WsSession.open(await listen(sample), { 'Client-Cert': rfc9440(sample.pki.clients.alice.der) });
    await expect(session.closed).resolves.toEqual({ code: 4401, reason: 'SOURCE_UNTRUSTED' });
  });
});
