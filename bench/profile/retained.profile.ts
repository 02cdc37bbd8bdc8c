/**
 * Profiler (not part of `npm run bench`): what each cache of the real authenticator keeps alive
 * after N distinct certificates (the memory bench's workload: Nest context, SQLite registry,
 * default cache sizes, one SPKI binding). Clears the caches one by one and reads heap, external
 * and RSS after full GCs: the drop is what that cache retained, divided by its entries.
 *
 *   N=20000 npm run bench:file -- --expose-gc bench/profile/retained.profile.ts
 *   (or: node --expose-gc --conditions=source -r ./test/support/ts-source.register.js bench/profile/retained.profile.ts)
 *
 * Reaches into private fields on purpose: this is a measuring tool, not a user of the library.
 */
import { rmSync } from 'node:fs';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import { RegistryAdminService } from '@client-cert-auth/registry';
import { ClientCertAuthenticator, ClientCertRegistry } from '@client-cert-auth/core';
import { createBenchContext } from '../support/bench.context';
import { CertificateVariants } from '../memory/certificate.variants';

const N = Number(process.env.N ?? 20_000);
const gc = (globalThis as { gc?: () => void }).gc;

function usage(): { heap: number; external: number; rss: number } {
  if (!gc) throw new Error('run with node --expose-gc');
  for (let i = 0; i < 4; i++) gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, external: m.external, rss: m.rss };
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1).padStart(6);

async function main(): Promise<void> {
  const { app, pki, dir } = await createBenchContext({ name: 'template', subject: 'CN=memory,O=Bench Clients', san: { dns: ['memory.bench.example'] } });
  await app.init();
  const admin = app.get(RegistryAdminService);
  await admin.addAccount({ name: 'memory-app' });
  await admin.bind({ account: 'memory-app', kind: 'spki', certificate: pki.clients.template.der });
  const authenticator = app.get(ClientCertAuthenticator);
  const variants = new CertificateVariants(pki.clients.template.der, pki.intermediate.privateKey, true);
  const authenticate = (n: number) =>
    authenticator.authenticate({ rawHeaders: ['Client-Cert', `:${variants.make(n).toString('base64')}:`], remoteAddress: '127.0.0.1' });

  await authenticate(0);
  const start = usage();
  console.log(
    `V8 spaces at start (MB committed): ${getHeapSpaceStatistics()
      .map((space) => `${space.space_name} ${mb(space.space_size)}`)
      .join(', ')}`,
  );
  for (let n = 1; n <= N; n += 64) await Promise.all(Array.from({ length: Math.min(64, N - n + 1) }, (_, i) => authenticate(n + i)));
  let last = usage();
  console.log(
    `after ${N} certificates: heap +${mb(last.heap - start.heap)} MB, external +${mb(last.external - start.external)} MB, rss +${mb(last.rss - start.rss)} MB`,
  );
  if (process.env.SNAPSHOT) console.log('heap snapshot:', writeHeapSnapshot());

  const a = authenticator as unknown as Record<string, any>;
  const registry = app.get(ClientCertRegistry) as unknown as Record<string, any>;
  const parts: Array<[string, () => number, () => void]> = [
    ['verdict cache', () => a.verdicts.size, () => a.verdicts.clear()],
    ['warm cache (+ admission)', () => a.warm.cache.size + (a.warm.cache.seen?.size ?? 0), () => a.warm.cache.clear()],
    ['registry resolutions', () => registry.resolutions?.size ?? 0, () => registry.resolutions?.clear()],
    ['registry denials', () => registry.denials?.size ?? 0, () => registry.denials?.clear()],
  ];
  const verdictEstimate = a.verdicts.size > 0 ? Math.round(a.verdicts.bytes / a.verdicts.size) : 0;
  console.log(`verdict cache estimate (verdictBytes): ${verdictEstimate} B per entry, ${mb(a.verdicts.bytes)} MB in all`);
  for (const [name, size, clear] of parts) {
    const entries = size();
    clear();
    const now = usage();
    if (process.env.SNAPSHOT) console.log(`heap snapshot after clearing the ${name}:`, writeHeapSnapshot());
    const heap = last.heap - now.heap;
    const external = last.external - now.external;
    console.log(
      `${name.padEnd(26)} ${String(entries).padStart(6)} entries: heap ${mb(heap)} MB, external ${mb(external)} MB` +
        (entries > 0 ? ` = ${Math.round(heap / entries)} + ${Math.round(external / entries)} B per entry` : ''),
    );
    last = now;
  }
  // Warm entries: a certificate is admitted at its second success; a verdict cache hit then.
  // (ECDSA signatures are randomized: every make() is another certificate, so the headers are kept.)
  const M = Math.min(N, 5000);
  const headers = Array.from({ length: M }, (_, i) => `:${variants.make(N + 1 + i).toString('base64')}:`);
  for (let round = 0; round < 2; round++) {
    for (let n = 0; n < M; n += 64) {
      await Promise.all(
        headers.slice(n, n + 64).map((header) => authenticator.authenticate({ rawHeaders: ['Client-Cert', header], remoteAddress: '127.0.0.1' })),
      );
    }
  }
  headers.length = 0;
  a.verdicts.clear();
  registry.resolutions?.clear();
  registry.denials?.clear();
  const warmed = usage();
  const warmEntries = a.warm.cache.size;
  const warmEstimate = warmEntries > 0 ? Math.round(a.warm.cache.bytes / warmEntries) : 0;
  a.warm.cache.clear();
  const afterWarm = usage();
  console.log(
    `warm cache, ${warmEntries} entries (each earned by a second success): heap ${mb(warmed.heap - afterWarm.heap)} MB = ` +
      `${Math.round((warmed.heap - afterWarm.heap) / Math.max(1, warmEntries))} B per entry; estimate (warmEntryBytes) ${warmEstimate} B`,
  );
  const spaces = getHeapSpaceStatistics().map((space) => `${space.space_name} ${mb(space.space_size)}`);
  console.log(`V8 spaces (MB committed): ${spaces.join(', ')}`);
  console.log(
    `left above start: heap +${mb(last.heap - start.heap)} MB, external +${mb(last.external - start.external)} MB, rss +${mb(last.rss - start.rss)} MB`,
  );
  await app.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
