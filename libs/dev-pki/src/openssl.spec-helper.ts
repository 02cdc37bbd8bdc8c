import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs the real openssl CLI (tests use real parts, not mocks). */
export function openssl(args: string[]): { ok: boolean; out: string } {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}

/** A temp dir with the given files written; call `cleanup()` in afterAll. */
export function tempFiles(files: Record<string, string> = {}): {
  dir: string;
  path(name: string): string;
  write(name: string, text: string): string;
  cleanup(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'dev-pki-'));
  const api = {
    dir,
    path: (name: string) => join(dir, name),
    write: (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  for (const [n, t] of Object.entries(files)) api.write(n, t);
  return api;
}

/** `openssl verify` of leaf against root (trusted) + intermediate (untrusted) for a purpose. */
export function opensslVerify(
  t: ReturnType<typeof tempFiles>,
  pems: { root: string; intermediate?: string; leaf: string },
  extra: string[] = [],
): { ok: boolean; out: string } {
  const args = ['verify', '-CAfile', t.write('root.pem', pems.root)];
  if (pems.intermediate) args.push('-untrusted', t.write('intermediate.pem', pems.intermediate));
  return openssl([...args, ...extra, t.write('leaf.pem', pems.leaf)]);
}
