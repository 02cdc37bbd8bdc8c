import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/**
 * Loader flags so a child runs this repo's TypeScript with the packages resolved to their sources
 * (see test/support/ts-source.register.js: not ts-node, which slows every EventEmitter).
 */
export const TS_FLAGS = ['--conditions=source', '-r', join(__dirname, '..', '..', 'test', 'support', 'ts-source.register.js')];

/**
 * Forks a bench TypeScript file in its own process (own event loop, own heap) with an IPC
 * channel. `nodeFlags` adds Node options such as `--expose-gc`.
 */
export function forkBench(file: string, args: string[] = [], nodeFlags: string[] = [], captureStdout = false): ChildProcess {
  return fork(join(__dirname, '..', file), args, {
    execArgv: [...nodeFlags, ...TS_FLAGS],
    cwd: join(__dirname, '..', '..'),
    env: process.env,
    stdio: ['ignore', captureStdout ? 'pipe' : 'inherit', 'inherit', 'ipc'],
  });
}

/** The first IPC message of a child, or a rejection if it exits first. */
export function firstMessage<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve(message as T));
    child.once('exit', (code) => reject(new Error(`bench child exited with code ${code} before reporting`)));
  });
}

/** Asks a child to stop and waits for it to exit. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.send('stop', () => undefined);
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

/** Runs a child to completion and returns its stdout (for benches that print rather than report). */
export function runForOutput(file: string): Promise<string> {
  const child = forkBench(file, [], [], true);
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${file} exited with code ${code}`))));
  });
}
