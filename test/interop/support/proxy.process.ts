import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync, existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

/** Process groups still running; killed when this process exits, should afterAll never run. */
const liveGroups = new Set<number>();
process.once('exit', () => {
  for (const pid of liveGroups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** A real proxy binary started by a test, in its own process group so one signal stops it and its workers. */
export interface ProxyProcess {
  readonly name: string;
  readonly port: number;
  readonly dir: string;
  /** The proxy's captured stdout+stderr, for failure messages. */
  output(): string;
  /** Stops the whole process group: SIGTERM, then SIGKILL after a grace period. Safe to call twice. */
  stop(): Promise<void>;
}

export interface ProxySpawnSpec {
  name: string;
  command: string;
  args: string[];
  port: number;
  dir: string;
  env?: Record<string, string>;
}

/**
 * Starts `command` detached (a new process group), logs to `<dir>/<name>.out`, and resolves once
 * `port` accepts TCP connections. Rejects with the proxy's own output when it exits or times out.
 */
export async function startProxyProcess(spec: ProxySpawnSpec, readyTimeoutMs = 10_000): Promise<ProxyProcess> {
  const logFile = join(spec.dir, `${spec.name}.out`);
  const fd = openSync(logFile, 'a');
  const child = spawn(spec.command, spec.args, {
    cwd: spec.dir,
    detached: true, // own process group: stop() kills master and workers together
    stdio: ['ignore', fd, fd],
    env: { ...process.env, ...spec.env },
  });
  closeSync(fd);
  if (child.pid !== undefined) liveGroups.add(child.pid);
  const output = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  let exited: string | undefined;
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = `exited with ${code ?? signal}`;
      resolve();
    });
    child.once('error', (error) => {
      exited = `failed to start: ${error.message}`;
      resolve();
    });
  });
  const handle: ProxyProcess = {
    name: spec.name,
    port: spec.port,
    dir: spec.dir,
    output,
    stop: () => stopGroup(child, exitedPromise),
  };
  const deadline = Date.now() + readyTimeoutMs;
  while (!(await canConnect(spec.port))) {
    if (exited || Date.now() > deadline) {
      await handle.stop();
      throw new Error(`${spec.name} did not become ready (${exited ?? 'timeout'}):\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return handle;
}

async function stopGroup(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.pid === undefined) return;
  if (child.exitCode !== null || child.signalCode !== null) {
    // The master is gone; make sure no worker of its group is left behind.
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // the group is already gone
    }
    liveGroups.delete(child.pid);
    return;
  }
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // the group is already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
  // Workers that outlive their master (they should not) are in the same group.
  signal('SIGKILL');
  liveGroups.delete(child.pid);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
