import { execFile } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(__dirname, '../../bin/client-cert-auth.js');

/**
 * Runs the real `client-cert-auth` CLI, as an operator would, and returns its exit code and output.
 * Each run transpiles the CLI (ts-node): 120 s leaves room for a machine busy with other tests.
 */
export function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
