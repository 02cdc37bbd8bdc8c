import { createServer } from 'node:net';

/**
 * A loopback TCP port that was free a moment ago: the OS picks it, the proxy or backend binds it
 * next (a tiny race that a test run on a shared machine tolerates).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
