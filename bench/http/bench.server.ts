/**
 * Child process: starts the bench app on one adapter on 127.0.0.1 over a bench PKI (bench.pki.ts),
 * enrolls its leaves (one `san-uri` binding for the ClientCertGuard, the PKI's enrolled.txt for
 * the hand-written guard), and tells the parent (IPC) the port and the warm header to send. Runs
 * alone in its process so the load generator never shares its event loop.
 *
 * argv[2]: 'express' | 'fastify'; argv[3]: the bench PKI's directory (absent: a fresh P-256 one
 * with no cold leaves, removed on exit).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { INestApplication } from '@nestjs/common';
import { RegistryAdminService } from '@client-cert-auth/registry';
import { benchSettings } from '../support/bench.context';
import { BenchAppModule } from './bench-app.module';
import { BENCH_SPIFFE_ID, createBenchPki } from './bench.pki';
import { timeGuards } from '../support/guard.timing';

export interface BenchServerReady {
  readonly port: number;
  readonly headers: Record<string, string>;
}

function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

async function main(): Promise<void> {
  if (process.env.BENCH_GUARD_TIMING === '1') timeGuards();
  const adapter = process.argv[2] === 'fastify' ? 'fastify' : 'express';
  const ownPki = process.argv[3] === undefined;
  const dir = process.argv[3] ?? createBenchPki('p-256', 0).dir;
  // Each server its own registry: the PKI's directory is shared by the servers of one run.
  const registryDir = mkdtempSync(join(tmpdir(), 'cca-bench-registry-'));
  const module = BenchAppModule.register({
    ...benchSettings(dir),
    CLIENT_CERT_DATABASE_URL: `sqlite:${join(registryDir, 'registry.sqlite')}`,
    BENCH_ENROLLED_FINGERPRINTS: join(dir, 'enrolled.txt'),
    BENCH_SIGNATURE_THREAD_POOL: process.env.BENCH_SIGNATURE_THREAD_POOL ?? '',
  });
  const options = { logger: ['error', 'warn'] as ('error' | 'warn')[], abortOnError: false };
  const app: INestApplication =
    adapter === 'fastify' ? await NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter(), options) : await NestFactory.create(module, options);
  await app.listen(0, '127.0.0.1');
  const admin = app.get(RegistryAdminService);
  await admin.addAccount({ name: 'bench-app', roles: ['bench'] });
  await admin.bind({ account: 'bench-app', kind: 'san-uri', value: BENCH_SPIFFE_ID });

  const address = app.getHttpServer().address() as { port: number };
  const ready: BenchServerReady = { port: address.port, headers: { 'client-cert': `:${readFileSync(join(dir, 'warm.der')).toString('base64')}:` } };
  process.send?.(ready);
  const stop = async () => {
    await app.close();
    rmSync(registryDir, { recursive: true, force: true });
    if (ownPki) rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('message', (message) => {
    if (message === 'stop') void stop();
    // CPU time of this process (user + system, µs), so the parent can compute CPU per request.
    if (message === 'cpu') process.send?.({ cpuMicros: cpuMicros() });
  });
  process.on('disconnect', () => void stop());
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
