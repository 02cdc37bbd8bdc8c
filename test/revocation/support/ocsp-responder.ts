import { spawn, type ChildProcess } from 'node:child_process';
import type { IssuedCert, OpensslCa } from './openssl-ca';

/** Every responder started and not yet stopped, so a failing test still leaves no child behind. */
const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

/** A real `openssl ocsp` responder on 127.0.0.1 answering from the CA's index.txt. */
export interface OcspResponder {
  port: number;
  url: string;
  stop(): Promise<void>;
}

/**
 * Spawns `openssl ocsp -index index.txt -port <port> -rsigner … -rkey … -CA …` and waits until it
 * accepts connections. `signer` is the delegated responder certificate (or any certificate, to
 * forge); `nmin` sets nextUpdate minutes (absent: no nextUpdate, as openssl does by default).
 */
export async function startOcspResponder(ca: OpensslCa, port: number, signer: IssuedCert, opts: { nmin?: number } = {}): Promise<OcspResponder> {
  const args = ['ocsp', '-index', 'index.txt', '-port', String(port), '-rsigner', signer.certPath, '-rkey', signer.keyPath, '-CA', 'ca.pem', '-ignore_err'];
  if (opts.nmin !== undefined) args.push('-nmin', String(opts.nmin));
  const child = spawn('openssl', args, { cwd: ca.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const collect = (chunk: Buffer): void => void (output += chunk.toString());
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 5000;
  // Readiness from the responder's own log, not a probe connection: openssl ocsp serves one
  // connection at a time, and a probe that connects and closes can wedge it.
  while (!/waiting for OCSP client connections/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      running.delete(child);
      throw new Error(`openssl ocsp did not start on port ${port}: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    port,
    url: `http://127.0.0.1:${port}/`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      running.delete(child);
    },
  };
}
