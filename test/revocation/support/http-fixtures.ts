import { createServer, request as httpRequest, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

/** A free TCP port on 127.0.0.1 (listen on 0, read, close). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A local HTTP server that counts requests; `close()` also drops open connections. */
export interface TestServer {
  port: number;
  url: string;
  requests: number;
  close(): Promise<void>;
}

async function listen(handler: Parameters<typeof createServer>[1], port = 0): Promise<{ server: Server; state: TestServer }> {
  const state = { port: 0, url: '', requests: 0 } as TestServer;
  const server = createServer((req, res) => {
    state.requests++;
    handler!(req, res);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.url = `http://127.0.0.1:${state.port}/`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { server, state };
}

/** Serves the current bytes of `file` on every GET (so a CRL rewritten on disk is served at once). */
export async function serveFile(file: () => string, port?: number): Promise<TestServer> {
  return (await listen((_req, res) => res.end(readFileSync(file())), port)).state;
}

/** Accepts requests and never answers: a responder that hangs. */
export async function hangingServer(port?: number): Promise<TestServer> {
  return (await listen(() => undefined, port)).state;
}

/** Forwards POSTs to `target` (e.g. openssl ocsp), counting them; `delayMs` delays each answer. */
export async function countingProxy(target: number, delayMs = 0, port?: number): Promise<TestServer> {
  const { state } = await listen((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      setTimeout(() => {
        const headers = { 'content-type': 'application/ocsp-request', 'content-length': body.length };
        // agent: false: no keep-alive, which would hold openssl ocsp's single connection slot.
        const upstream = httpRequest({ host: '127.0.0.1', port: target, method: 'POST', path: '/', agent: false, headers }, (up) => {
          res.writeHead(up.statusCode ?? 502, { 'content-type': 'application/ocsp-response' });
          up.pipe(res);
        });
        upstream.on('error', () => res.destroy());
        upstream.end(body);
      }, delayMs);
    });
  }, port);
  return state;
}

/** Answers every POST with fixed bytes (a recorded response, replayed). */
export async function replayServer(body: () => Buffer, port?: number): Promise<TestServer> {
  return (await listen((_req, res) => res.end(body()), port)).state;
}
