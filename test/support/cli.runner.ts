import { execFile } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
const CLI = join(ROOT, 'libs/cli/src/bin.ts');
const FROM_SOURCE = ['--conditions=source', '-r', join(__dirname, 'ts-source.register.js')];

/**
 * Runs the real `client-cert-auth` CLI from source, as an operator would run the installed one,
 * and returns its exit code and output. (The built and packed bin is run by test/consumers.)
 */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...FROM_SOURCE, CLI, ...args], { timeout: 60_000, env: options.env ?? process.env }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
