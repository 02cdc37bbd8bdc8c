/**
 * Scratch profiler (not part of `npm run bench`): the warm authenticator and both guards called
 * in-process, without HTTP, to see per-request costs. Run with `--cpu-prof` to get a profile.
 */
import { RegistryAdminService } from '@client-cert-auth/registry';
import { createBenchContext } from '../support/bench.context';
import { ClientCertAuthenticator } from '@client-cert-auth/core';
import { ClientCertGuard } from '@client-cert-auth/core';
import { BenchController } from '../http/bench.controller';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';

async function main(): Promise<void> {
  const { app, pki } = await createBenchContext({ name: 'bench', subject: 'CN=bench,O=Bench Clients', san: { uri: ['spiffe://bench.local/client'] } });
  const admin = app.get(RegistryAdminService);
  await admin.addAccount({ name: 'bench-app', roles: ['bench'] });
  await admin.bind({ account: 'bench-app', kind: 'san-uri', value: 'spiffe://bench.local/client' });
  const auth = app.get(ClientCertAuthenticator);
  const guard = app.get(ClientCertGuard);
  const header = `:${pki.clients.bench.der.toString('base64')}:`;
  const request = { rawHeaders: ['Host', 'x', 'Client-Cert', header], remoteAddress: '127.0.0.1', socket: { remoteAddress: '127.0.0.1' } };
  const response = { header: () => undefined };
  const handler = BenchController.prototype.guarded;
  const N = Number(process.env.N ?? 100_000);
  const time = async (name: string, f: () => unknown) => {
    for (let i = 0; i < 5000; i++) await f();
    const t = process.hrtime.bigint();
    const c = process.cpuUsage();
    for (let i = 0; i < N; i++) await f();
    const cpu = process.cpuUsage(c);
    console.log(
      name.padEnd(28),
      'wall',
      (Number(process.hrtime.bigint() - t) / N / 1000).toFixed(2),
      'µs  cpu (all threads)',
      ((cpu.user + cpu.system) / N).toFixed(2),
      'µs',
    );
  };
  if (process.env.PARTS) {
    const a = auth as unknown as Record<string, any>;
    await auth.authenticate(request);
    await auth.authenticate(request); // admitted to the warm path on the second success
    const key = a.proxies.warmKey(request);
    const entry = a.warm.cache.get(key, a.registry.generation(), a.revocation.generation(), Date.now());
    await time('part warmKey', () => a.proxies.warmKey(request));
    await time('part warm.get', () => a.warm.cache.get(key, a.registry.generation(), a.revocation.generation(), Date.now()));
    await time('part decisions.record', () => a.decisions.record(entry.decision));
    await time('part touch', () => a.registry.touch(entry.match));
    await time('part generations+now', () => a.registry.generation() + a.revocation.generation() + Date.now());
  }
  for (let round = 0; round < Number(process.env.ROUNDS ?? 2); round++) {
    await time('authenticator.authenticate', () => auth.authenticate(request));
    await time('authenticator.authenticateWarm', () => auth.authenticateWarm(request));
    await time('ClientCertGuard.canActivate', () => {
      const ctx = new ExecutionContextHost([{ ...request }, response], BenchController, handler);
      return guard.canActivate(ctx);
    });
  }
  await app.close();
}
void main();
