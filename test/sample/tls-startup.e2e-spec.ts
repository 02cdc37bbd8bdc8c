import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../support/free-port';

const ROOT = resolve(__dirname, '../..');

/** Runs a printed command line as a user would paste it (from the repository root), adding -s and the status code. */
function runPrinted(line: string): Promise<{ status: number; body: string }> {
  const command = line.replace(/^curl -i /, "curl -s -w '\\n%{http_code}' ");
  return new Promise((done) =>
    execFile('sh', ['-c', command], { cwd: ROOT }, (_error, stdout) => {
      const cut = stdout.lastIndexOf('\n');
      done({ status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) });
    }),
  );
}

describe('npm start with TLS_PORT (the sample as operators run it, dev PKI on first start)', () => {
  let child: ChildProcess;
  let output = '';
  const dataDir = mkdtempSync(join(tmpdir(), 'cca-tls-start-'));

  beforeAll(async () => {
    const [port, tlsPort] = [await freePort(), await freePort()];
    child = spawn(process.execPath, ['--conditions=source', '-r', './test/support/ts-source.register.js', 'src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), TLS_PORT: String(tlsPort), CLIENT_CERT_CA_FILES: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise<void>((done, fail) => {
      const timer = setInterval(() => {
        if (/CERT_MISSING\n/.test(output.slice(output.indexOf('HTTPS listener')))) {
          clearInterval(timer);
          done();
        } else if (child.exitCode !== null) {
          clearInterval(timer);
          fail(new Error(`the sample exited:\n${output}`));
        }
      }, 100);
    });
  }, 60_000);

  afterAll(() => {
    child.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each([
    ['/whoami', 'registered', 200],
    ['/orders', 'unregistered', 403],
    ['/orders', 'no certificate', 401],
  ])('prints a curl line for %s with %s that answers %i as printed', async (path, client, status) => {
    const tlsLines = output.slice(output.indexOf('HTTPS listener')).split('\n');
    const line = tlsLines.find((l) => l.includes(`${path} `) && (client === 'no certificate' ? !l.includes('--cert') : l.includes(`/${client}.pem`)));
    expect(line).toBeDefined();
    const [command, comment] = line!.trim().split(/\s+#\s+/);
    expect(comment.startsWith(String(status))).toBe(true);
    const res = await runPrinted(command);
    expect(res.status).toBe(status);
    if (status === 200) expect(JSON.parse(res.body).account.name).toBe('orders-client');
  });
});
