/**
 * Child process (node --expose-gc): RSS growth while the real authenticator (Nest context,
 * SQLite registry, default cache sizes) authenticates COUNT distinct certificates, all bound to
 * one account by an SPKI pin so each is a full success: decode, path validation, deny-list and
 * registry lookups, cached verdicts. Certificates are made on the fly and dropped, so the growth
 * is what the library keeps. Sends a MemoryResult to the parent.
 */
import { rmSync } from 'node:fs';
import { RegistryAdminService } from '@client-cert-auth/registry';
import { createBenchContext } from '../support/bench.context';
import { ClientCertAuthenticator } from '@client-cert-auth/core';
import { CertificateVariants } from './certificate.variants';

export interface MemoryResult {
  readonly count: number;
  readonly seconds: number;
  readonly baselineMb: number;
  readonly baselineHeapMb: number;
  readonly baselineExternalMb: number;
  /** RSS, heap used and external memory (Buffers' bytes) after each checkpoint, after a full GC. */
  readonly checkpoints: ReadonlyArray<Usage & { readonly after: number }>;
  readonly growthMb: number;
  /** Heap used and external memory at the end above the baseline: what the process keeps, without V8's and malloc's slack. */
  readonly heapGrowthMb: number;
  readonly externalGrowthMb: number;
  /** Largest RSS above baseline at any checkpoint (after GC). */
  readonly maxGrowthMb: number;
}

const COUNT = Number(process.env.BENCH_MEMORY_COUNT ?? 100_000);
const IN_FLIGHT = 64;

interface Usage {
  readonly rssMb: number;
  readonly heapMb: number;
  readonly externalMb: number;
}

/**
 * Short-lived garbage, ~200 MB of it, before the baseline: V8's young generation (up to 2 x 16 MB
 * semi-spaces) becomes resident under any allocation load and stays so. Without this the
 * baseline (taken after one request) reads it as not yet there, and any workload, the
 * hand-written guard's included, "grows" by ~20-30 MB that nothing keeps (measured with
 * `bench/profile/retained.profile.ts`: 24 MB of RSS left after every cache was cleared).
 */
function churnYoungGeneration(): void {
  let sink = 0;
  for (let round = 0; round < 200_000; round++) sink += new Array(128).fill(round).length;
  if (sink === 0) throw new Error('unreachable');
}

/**
 * RSS and heap after full GCs, repeated until RSS stops falling (at most 6 rounds): V8 hands
 * freed pages back over several collections, so one GC reads tens of MB of already-free memory
 * as growth. Baseline and end are measured the same way.
 */
function snapshot(): Usage {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  let rss = Infinity;
  for (let round = 0; round < 6; round++) {
    gc();
    const now = process.memoryUsage().rss;
    if (now > rss - 2 ** 20) break;
    rss = now;
  }
  const usage = process.memoryUsage();
  return { rssMb: usage.rss / 2 ** 20, heapMb: usage.heapUsed / 2 ** 20, externalMb: usage.external / 2 ** 20 };
}

async function main(): Promise<void> {
  const { app, pki, dir } = await createBenchContext({ name: 'template', subject: 'CN=memory,O=Bench Clients', san: { dns: ['memory.bench.example'] } });
  await app.init();
  const admin = app.get(RegistryAdminService);
  await admin.addAccount({ name: 'memory-app' });
  await admin.bind({ account: 'memory-app', kind: 'spki', certificate: pki.clients.template.der });
  const authenticator = app.get(ClientCertAuthenticator);
  const variants = new CertificateVariants(pki.clients.template.der, pki.intermediate.privateKey, true);
  const authenticate = async (n: number) => {
    const header = `:${variants.make(n).toString('base64')}:`;
    await authenticator.authenticate({ rawHeaders: ['Client-Cert', header], remoteAddress: '127.0.0.1' });
  };

  await authenticate(0);
  churnYoungGeneration();
  const baseline = snapshot();
  const checkpoints: Array<Usage & { after: number }> = [];
  const started = Date.now();
  let next = 1;
  const worker = async () => {
    while (next <= COUNT) {
      const n = next++;
      await authenticate(n);
      if (n % Math.ceil(COUNT / 4) === 0) checkpoints.push({ after: n, ...snapshot() });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const final = snapshot();
  checkpoints.push({ after: COUNT, ...final });
  const result: MemoryResult = {
    count: COUNT,
    seconds: (Date.now() - started) / 1000,
    baselineMb: baseline.rssMb,
    baselineHeapMb: baseline.heapMb,
    baselineExternalMb: baseline.externalMb,
    checkpoints,
    growthMb: final.rssMb - baseline.rssMb,
    heapGrowthMb: final.heapMb - baseline.heapMb,
    externalGrowthMb: final.externalMb - baseline.externalMb,
    maxGrowthMb: Math.max(...checkpoints.map((c) => c.rssMb)) - baseline.rssMb,
  };
  await app.close();
  rmSync(dir, { recursive: true, force: true });
  if (process.send) process.send(result);
  else console.log(JSON.stringify(result, null, 2));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
