import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

/** A loopback TCP port that was free a moment ago (the OS picks it; the proxy binds it next). */
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

/**
 * The absolute path of a binary in PATH or the sbin folders (where Debian installs nginx,
 * haproxy and apache2), or undefined: the caller then skips that proxy with a printed reason.
 */
export function findBinary(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  return dirs.filter((dir) => dir.startsWith('/')).map((dir) => `${dir}/${name}`).find((path) => existsSync(path));
}
