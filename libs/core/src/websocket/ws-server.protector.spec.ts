import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { issueAuthenticatedClient, type AuthenticatedClient } from '../authentication/authenticated-client';
import { clientCertOf } from '../authentication/request.adapter';
import { ClientCertError } from '../errors/client-cert.error';
import type { ClientCertPrincipal } from '../principal/client-cert-principal';
import type { WsServerLike } from './socket.types';
import { protectWsServer } from './ws-server.protector';

const client = issueAuthenticatedClient({ subject: 'CN=alice' } as ClientCertPrincipal, { id: '1', name: 'alice-app', status: 'active', roles: [] });

/** Decides by the `x-who` header of the upgrade request, and counts its calls. */
function decider(): { calls: number; authenticate(request: IncomingMessage): Promise<AuthenticatedClient> } {
  const state = {
    calls: 0,
    async authenticate(request: IncomingMessage): Promise<AuthenticatedClient> {
      state.calls++;
      if (request.headers['x-who'] === 'alice') return client;
      if (request.headers['x-who'] === 'disabled') throw new ClientCertError('ACCOUNT_DISABLED', 'disabled');
      throw new Error('a bug in the pipeline');
    },
  };
  return state;
}

type Outcome = { readonly open: true } | { readonly code: number; readonly reason: string } | { readonly status: number };

function connect(server: WebSocketServer, who: string): Promise<Outcome> {
  const socket = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, { headers: { 'x-who': who } });
  return new Promise((resolve) => {
    socket.on('error', () => undefined);
    socket.on('unexpected-response', (_request, response) => resolve({ status: response.statusCode ?? 0 }));
    socket.on('close', (code, reason) => resolve({ code, reason: String(reason) }));
    socket.on('open', () => setTimeout(() => (socket.readyState === WebSocket.OPEN ? (resolve({ open: true }), socket.close()) : undefined), 50));
  });
}

describe('protectWsServer', () => {
  let server: WebSocketServer;
  const accepted: unknown[] = [];

  async function start(options: ConstructorParameters<typeof WebSocketServer>[0] = {}): Promise<ReturnType<typeof decider>> {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1', ...options });
    await new Promise((resolve) => server.once('listening', resolve));
    const decide = decider();
    protectWsServer(server as unknown as WsServerLike, (request) => decide.authenticate(request));
    // The application's own listener, added after protect() as Nest adds its handler.
    server.on('connection', (socket) => accepted.push(clientCertOf(socket)));
    return decide;
  }
  afterEach(() => new Promise((resolve) => server.close(resolve)));

  it.each([
    ['an accepted client: the socket carries it', 'alice', { open: true }],
    ['a refusal: 4000 + its HTTP status, the code as reason', 'disabled', { code: 4403, reason: 'ACCOUNT_DISABLED' }],
    ['a failure that is no ClientCertError: 4503 AUTH_INTERNAL_ERROR', 'bug', { code: 4503, reason: 'AUTH_INTERNAL_ERROR' }],
  ])('answers %s', async (_label, who, outcome) => {
    accepted.length = 0;
    await start();
    await expect(connect(server, who)).resolves.toEqual(outcome);
    expect(accepted).toEqual(['open' in outcome ? client : undefined]);
  });

  it.each([
    ['synchronous', () => false],
    ['callback', (_info: unknown, done: (verified: boolean, code?: number) => void) => done(false, 418)],
  ])("keeps the application's own %s verifyClient, which runs first: its refusal stands, no authentication", async (_label, verifyClient) => {
    const decide = await start({ verifyClient } as never);
    const outcome = await connect(server, 'alice');
    expect(outcome).toEqual({ status: verifyClient.length === 2 ? 418 : 401 });
    expect(decide.calls).toBe(0);
  });

  it("authenticates after the application's verifyClient accepts", async () => {
    const decide = await start({ verifyClient: () => true } as never);
    await expect(connect(server, 'alice')).resolves.toEqual({ open: true });
    expect(decide.calls).toBe(1);
  });
});
