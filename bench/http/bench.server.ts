/**
 * Child process: starts the bench app on one adapter on 127.0.0.1, enrolls one client, and
 * tells the parent (IPC) the port and the header to send. Runs alone in its process so the load
 * generator never shares its event loop.
 *
 * argv[2]: 'express' | 'fastify'
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { INestApplication } from '@nestjs/common';
import { createDevPki, writeDevPki } from '@client-cert-auth/dev-pki';
import { RegistryAdminService } from '@client-cert-auth/registry';
import { benchSettings } from '../support/bench.context';
import { BenchAppModule } from './bench-app.module';

export interface BenchServerReady {
  readonly port: number;
  readonly headers: Record<string, string>;
}

function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

async function main(): Promise<void> {
  const adapter = process.argv[2] === 'fastify' ? 'fastify' : 'express';
  const dir = mkdtempSync(join(tmpdir(), 'cca-bench-'));
  const pki = createDevPki({ clients: [{ name: 'bench', subject: 'CN=bench,O=Bench Clients', san: { uri: ['spiffe://bench.local/client'] } }] });
  writeDevPki(dir, pki);
  const module = BenchAppModule.register(benchSettings(dir));
  const options = { logger: ['error', 'warn'] as ('error' | 'warn')[], abortOnError: false };
  const app: INestApplication =
    adapter === 'fastify' ? await NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter(), options) : await NestFactory.create(module, options);
  await app.listen(0, '127.0.0.1');
  const admin = app.get(RegistryAdminService);
  await admin.addAccount({ name: 'bench-app', roles: ['bench'] });
  await admin.bind({ account: 'bench-app', kind: 'san-uri', value: 'spiffe://bench.local/client' });

  const address = app.getHttpServer().address() as { port: number };
  const ready: BenchServerReady = { port: address.port, headers: { 'client-cert': `:${pki.clients.bench.der.toString('base64')}:` } };
  process.send?.(ready);
  const stop = async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
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
