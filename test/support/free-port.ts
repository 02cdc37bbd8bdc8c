import { createServer, type AddressInfo } from 'node:net';

/**
 * A loopback port free right now, for a listener whose port must be configured before it
 * listens (a `source: 'tls'` profile is bound to its listener's port).
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
