/**
 * Scratch profiler (not part of `npm run bench`): per-step cost of a warm request, each step
 * called in isolation on the live authenticator's own parts.
 */
import { RegistryAdminService } from '@client-cert-auth/registry';
import { createBenchContext } from '../support/bench.context';
import { ClientCertAuthenticator, ClientCertRegistry } from '@client-cert-auth/core';

async function main(): Promise<void> {
  const { app, pki } = await createBenchContext(
    { name: 'bench', subject: 'CN=bench,O=Bench Clients', san: { uri: ['spiffe://bench.local/client'] } },
    { CLIENT_CERT_REVOCATION_MODE: process.env.REVOCATION ?? 'off' },
  );
  const admin = app.get(RegistryAdminService);
  await admin.addAccount({ name: 'bench-app', roles: ['bench'] });
  await admin.bind({ account: 'bench-app', kind: 'san-uri', value: 'spiffe://bench.local/client' });
  const auth = app.get(ClientCertAuthenticator) as any;
  const registry = app.get(ClientCertRegistry);
  const header = `:${pki.clients.bench.der.toString('base64')}:`;
  const request = { rawHeaders: ['Host', 'x', 'Client-Cert', header], remoteAddress: '127.0.0.1' };
  await auth.authenticate(request);
  const extracted = auth.proxies.extract(request);
  const key = auth.verdicts.keyFor(extracted.profile, extracted.certificate.leaf, extracted.certificate.chain);
  const verdict = auth.verdicts.get(key);
  const principal = verdict.principal;
  const N = Number(process.env.N ?? 100_000);
  const time = async (name: string, f: () => unknown) => {
    for (let i = 0; i < 5000; i++) await f();
    const t = process.hrtime.bigint();
    for (let i = 0; i < N; i++) await f();
    console.log(name.padEnd(36), (Number(process.hrtime.bigint() - t) / N / 1000).toFixed(2), 'µs');
  };
  const headerBytes = Buffer.from(header, 'latin1');
  const fresh = () => ({ rawHeaders: ['Host', 'x', 'Client-Cert', headerBytes.toString('latin1')], remoteAddress: '127.0.0.1' });
  await time('fresh header string (baseline)', () => fresh());
  await time('authenticate, fresh header string', () => auth.authenticate(fresh()));
  await time('extract, fresh header string', () => auth.proxies.extract(fresh()));
  await time('authenticate (whole, warm)', () => auth.authenticate(request));
  await time('proxies.extract', () => auth.proxies.extract(request));
  await time('verdicts.keyFor', () => auth.verdicts.keyFor(extracted.profile, extracted.certificate.leaf, extracted.certificate.chain));
  await time('verdicts.get', () => auth.verdicts.get(key));
  await time('revocation.check', () => auth.revocation.check(verdict.path));
  await time('registry.isDenied', () => registry.isDenied(principal));
  await time('registry.resolve', () => registry.resolve(principal));
  await time('decisions.record', () => auth.decisions.record({ result: 'OK', durationMs: 1, remoteAddress: '127.0.0.1', profile: 'waf' }));
  await time('await of resolved promise', () => Promise.resolve(1));
  await app.close();
}
void main();
