import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { io, type Socket } from 'socket.io-client';
import { ClientCertAuthenticator, type ClientCertDecision } from '@client-cert-auth/core';
import { createDevPki, writeDevPki, type DevPki } from '@client-cert-auth/dev-pki';
import { RegistryAdminService } from '@client-cert-auth/registry';
import { rfc9440, SAMPLE_CLIENTS } from '../support/sample.harness';
import { createSocketIoApp } from './socket-io.app';

type Transports = ('polling' | 'websocket')[];

/** Connects a real socket.io client; resolves on `connect`, rejects with the `connect_error`. */
function connect(url: string, transports: Transports, headers: Record<string, string> = {}): Promise<Socket> {
  const socket = io(url, { transports, extraHeaders: headers, reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

function nextEvent(socket: Socket, event: string): Promise<unknown> {
  return new Promise((resolve) => socket.once(event, resolve));
}

describe.each([
  ['polling, then upgrade', ['polling', 'websocket'] as Transports],
  ['websocket only', ['websocket'] as Transports],
])('socket.io gateway (%s)', (_label, transports) => {
  let dir: string;
  let pki: DevPki;
  let app: INestApplication;
  let base: string;
  const decisions: ClientCertDecision[] = [];
  const certHeader = (name: string) => ({ 'Client-Cert': rfc9440(pki.clients[name].der) });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cca-socket-io-'));
    pki = createDevPki({ clients: SAMPLE_CLIENTS });
    writeDevPki(dir, pki);
    ({ app, url: base } = await createSocketIoApp({
      rootFile: join(dir, 'root.pem'),
      intermediateFile: join(dir, 'intermediate.pem'),
      databaseFile: join(dir, 'registry.sqlite'),
      proxyFrom: ['127.0.0.1/32', '::1/128'],
    }));
    const admin = app.get(RegistryAdminService);
    await admin.addAccount({ name: 'alice-app', roles: ['orders:read'] });
    await admin.bind({ account: 'alice-app', kind: 'san-uri', value: 'spiffe://test.local/alice' });
    await admin.addAccount({ name: 'bob-app', roles: [] });
    await admin.bind({ account: 'bob-app', kind: 'san-dns', value: 'bob.clients.test' });
    app.get(ClientCertAuthenticator).onDecision((decision) => decisions.push(decision));
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hands handleConnection the client of an accepted connection', async () => {
    const socket = io(`${base}/orders`, { transports, extraHeaders: certHeader('alice'), reconnection: false, forceNew: true });
    await expect(nextEvent(socket, 'welcome')).resolves.toEqual({ account: 'alice-app', subject: 'CN=alice,O=Sample Clients' });
    socket.close();
  });

  it.each([
    ['no certificate', 'CERT_MISSING', 401, undefined],
    ['an unregistered certificate', 'IDENTITY_UNKNOWN', 403, 'mallory'],
  ])('refuses a connection with %s: connect_error %s, data = the HTTP body', async (_label, code, statusCode, client) => {
    const refused = connect(`${base}/orders`, transports, client ? certHeader(client) : {});
    await expect(refused).rejects.toMatchObject({ message: code, data: { statusCode, error: statusCode === 401 ? 'Unauthorized' : 'Forbidden', code } });
  });

  it("enforces @RequireClientRoles() on a handler with the connection's account", async () => {
    const alice = await connect(`${base}/orders`, transports, certHeader('alice'));
    const bob = await connect(`${base}/orders`, transports, certHeader('bob'));
    await expect(alice.emitWithAck('orders', {})).resolves.toEqual({ account: 'alice-app', orders: [] });
    const refusal = nextEvent(bob, 'exception');
    bob.emit('orders', {});
    await expect(refusal).resolves.toEqual({ statusCode: 403, error: 'Forbidden', code: 'ROLE_MISSING' });
    await expect(bob.emitWithAck('whoami', {})).resolves.toEqual({ account: 'bob-app', subject: 'CN=bob,O=Sample Clients' });
    alice.close();
    bob.close();
  });

  it('authenticates once per connection: several messages, one decision', async () => {
    const before = decisions.length;
    const socket = await connect(`${base}/orders`, transports, certHeader('alice'));
    for (let i = 0; i < 5; i++) {
      await expect(socket.emitWithAck('whoami', {})).resolves.toEqual({ account: 'alice-app', subject: 'CN=alice,O=Sample Clients' });
    }
    socket.close();
    expect(decisions.slice(before).map((d) => d.result)).toEqual(['OK']);
  });

  it('refuses the messages of a gateway that never protected its server (CERT_MISSING), never passes them', async () => {
    const socket = await connect(`${base}/unprotected`, transports, certHeader('alice'));
    const refusal = nextEvent(socket, 'exception');
    socket.emit('whoami', {});
    await expect(refusal).resolves.toEqual({ statusCode: 401, error: 'Unauthorized', code: 'CERT_MISSING' });
    socket.close();
  });
});

describe('socket.io gateway behind an untrusted peer', () => {
  it('refuses a connection whose header comes from outside the proxy ranges: connect_error SOURCE_UNTRUSTED', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cca-socket-io-'));
    const pki = createDevPki({ clients: SAMPLE_CLIENTS });
    writeDevPki(dir, pki);
    const { app, url } = await createSocketIoApp({
      rootFile: join(dir, 'root.pem'),
      intermediateFile: join(dir, 'intermediate.pem'),
      databaseFile: join(dir, 'registry.sqlite'),
      proxyFrom: ['10.0.0.0/8'],
    });
    try {
      const refused = connect(`${url}/orders`, ['polling', 'websocket'], { 'Client-Cert': rfc9440(pki.clients.alice.der) });
      await expect(refused).rejects.toMatchObject({ message: 'SOURCE_UNTRUSTED', data: { statusCode: 401, code: 'SOURCE_UNTRUSTED' } });
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
