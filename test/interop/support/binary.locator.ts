import { existsSync } from 'node:fs';

/**
 * The absolute path of a binary in PATH or the sbin folders (where Debian installs nginx,
 * haproxy and apache2, often outside a non-root PATH), or undefined: the caller then skips that
 * proxy with a printed reason.
 */
export function findBinary(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  return dirs
    .filter((dir) => dir.startsWith('/'))
    .map((dir) => `${dir}/${name}`)
    .find((path) => existsSync(path));
}
