import { createServer, type Server } from 'node:http';

/** A backend that answers every request with the headers it received, exactly as they arrived. */
export interface EchoServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Starts a tiny HTTP server on loopback that echoes `req.rawHeaders` as JSON pairs. The proxy
 * tests route `/echo` here to see byte-for-byte what each recipe forwards, independently of the
 * module (and it is how the harness was debugged before the sample backend was ready).
 */
export function startEchoServer(): Promise<EchoServer> {
  const server: Server = createServer((req, res) => {
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) pairs.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ method: req.method, url: req.url, peer: req.socket.remoteAddress, headers: pairs }));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ port, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

/** Every value of `name` (case-insensitive) among echoed header pairs, in arrival order. */
export function echoedValues(echo: { headers: Array<[string, string]> }, name: string): string[] {
  return echo.headers.filter(([key]) => key.toLowerCase() === name.toLowerCase()).map(([, value]) => value);
}
