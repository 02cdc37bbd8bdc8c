/**
 * Scratch profiler (not part of `npm run bench`): the cold path in-process, without HTTP. Every
 * call takes a never-seen leaf of a bench PKI (bench.pki.ts): `cold` valid and enrolled leaves,
 * `flood` leaves of the untrusted impostor intermediate. Prints the per-request CPU of the
 * authenticator and of the guard (Express-shaped and Fastify-shaped request objects), the cost
 * of each step of the pipeline called alone, one raw `crypto.verify` of a leaf for scale, then a
 * V8 CPU profile of the guard loop (node:inspector, the measured window only) as self time per
 * request: by area (the registry and its ORM and driver apart, so the core's share shows), by
 * core file, and the top functions.
 *
 *   npm run bench:file bench/profile/cold.profile.ts            # KEY=p-256 MODE=cold N=8000 SLICES=16
 *   KEY=rsa-2048 MODE=flood npm run bench:file bench/profile/cold.profile.ts
 */
import { X509Certificate, verify } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { RegistryAdminService } from '@client-cert-auth/registry';
import { ClientCertAuthenticator, ClientCertGuard, CertificatePathValidator, parseCertificate } from '@client-cert-auth/core';
import { benchSettings } from '../support/bench.context';
import { BenchAppModule } from '../http/bench-app.module';
import { BenchController } from '../http/bench.controller';
import { BENCH_SPIFFE_ID, createBenchPki, type BenchKey } from '../http/bench.pki';
import { startProfile } from './cpuprofile.summary';

const KEY = (process.env.KEY ?? 'p-256') as BenchKey;
const MODE = (process.env.MODE ?? 'cold') as 'cold' | 'flood';
const N = Number(process.env.N ?? 8000);

async function main(): Promise<void> {
  const pki = createBenchPki(KEY, N);
  const registryDir = mkdtempSync(join(tmpdir(), 'cca-profile-registry-'));
  const settings = {
    ...benchSettings(pki.dir),
    CLIENT_CERT_DATABASE_URL: `sqlite:${join(registryDir, 'r.sqlite')}`,
    BENCH_ENROLLED_FINGERPRINTS: join(pki.dir, 'enrolled.txt'),
  };
  const app = await NestFactory.createApplicationContext(BenchAppModule.register(settings), { logger: ['error'] });
  await app.init();
  const admin = app.get(RegistryAdminService);
  await admin.addAccount({ name: 'bench-app', roles: ['bench'] });
  await admin.bind({ account: 'bench-app', kind: 'san-uri', value: BENCH_SPIFFE_ID });
  const auth = app.get(ClientCertAuthenticator);
  const guard = app.get(ClientCertGuard);
  const pool = MODE === 'cold' ? pki.cold : pki.flood;
  const ders = pool.map((h) => Buffer.from(h.slice(1, -1), 'base64'));
  const intermediate = new X509Certificate(readFileSync(join(pki.dir, 'intermediate.pem')));
  const root = parseCertificate(Buffer.from(new X509Certificate(readFileSync(join(pki.dir, 'root.pem'))).raw));
  const issuing = parseCertificate(Buffer.from(intermediate.raw));
  const validator = new CertificatePathValidator({ anchors: [root], intermediates: [issuing] });
  const ec = KEY === 'p-256';
  const socket = { remoteAddress: '127.0.0.1', server: { maxHeadersCount: null } };
  const express = (h: string) => {
    const response = { locals: {}, setHeader: () => undefined, header: () => undefined };
    return [{ rawHeaders: ['Host', 'x', 'Client-Cert', h], socket, method: 'GET', url: '/guarded' }, response] as const;
  };
  const fastify = (h: string) =>
    [{ raw: { rawHeaders: ['Host', 'x', 'Client-Cert', h], socket, method: 'GET', url: '/guarded' } }, { header: () => undefined }] as const;
  const handler = BenchController.prototype.guarded;

  // Each timed loop takes a disjoint slice of the pool: every call a never-seen certificate.
  const slices = Number(process.env.SLICES ?? 16);
  const per = Math.floor(N / slices);
  let slice = 0;
  const time = async (name: string, f: (i: number) => unknown): Promise<number> => {
    const from = per * slice++;
    const started = process.cpuUsage();
    for (let i = from; i < from + per; i++) {
      try {
        await f(i);
      } catch {
        // refusals (flood) are the measured outcome
      }
    }
    const cpu = process.cpuUsage(started);
    const us = (cpu.user + cpu.system) / per;
    console.log(name.padEnd(48), us.toFixed(1).padStart(7), 'µs CPU per request');
    return us;
  };
  console.log(
    `${MODE}, ${KEY}, ${per} never-seen leaves per row, load ${(await import('node:os'))
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  // Warm-up on the first slice (JIT), not counted.
  await time('(warm-up: authenticator.authenticate)', (i) =>
    auth.authenticate({ rawHeaders: ['Host', 'x', 'Client-Cert', pool[i]], remoteAddress: '127.0.0.1' }),
  );
  // The floor: one node:crypto verification of the leaf (parsed beforehand) by the intermediate's key.
  const preParsed = ders.map((der) => parseCertificate(der));
  const raw = await time('raw crypto.verify of the leaf (parsed beforehand)', (i) =>
    verify('sha256', preParsed[i].tbsDer, ec ? { key: intermediate.publicKey, dsaEncoding: 'der' } : intermediate.publicKey, preParsed[i].signature),
  );
  // The steps of the cold pipeline alone, on the live authenticator's own parts.
  const a = auth as unknown as Record<string, any>;
  const request = (i: number) => ({ rawHeaders: ['Host', 'x', 'Client-Cert', pool[i]], remoteAddress: '127.0.0.1' });
  await time('step: warm lookup (a miss)', (i) => auth.authenticateWarm(request(i)));
  await time('step: proxies.extract', (i) => a.proxies.extract(request(i)));
  await time('step: verdict key (sha256 of the leaf)', (i) => a.verdicts.keyFor('waf', ders[i], []));
  await time('step: parseCertificate', (i) => parseCertificate(ders[i]));
  const parsed = ders.map((d) => parseCertificate(d));
  const paths = parsed.map((c) => validator.validate(c, []));
  await time('step: validate (a parsed leaf)', (i) => a.validator.validate(parsed[i], [], { at: new Date() }));
  if (MODE === 'cold') {
    const { createPrincipal } = await import('@client-cert-auth/core');
    const principals = paths.map((r) => (r.ok ? createPrincipal(r.path, { profile: 'waf', format: 'rfc9440' }) : undefined));
    await time('step: createPrincipal', (i) => createPrincipal((paths[i] as { path: any }).path, { profile: 'waf', format: 'rfc9440' }));
    await time('step: revocation.check (off)', (i) => a.revocation.check((paths[i] as { path: any }).path));
    await time('step: registry.isDenied + resolve', async (i) => {
      await a.registry.isDenied(principals[i]);
      return a.registry.resolve(principals[i]);
    });
  }
  await time('parseCertificate + validate (core, no registry)', (i) => validator.validate(parseCertificate(ders[i]), []));
  await time('authenticator.authenticate', (i) => auth.authenticate({ rawHeaders: ['Host', 'x', 'Client-Cert', pool[i]], remoteAddress: '127.0.0.1' }));
  await time('ClientCertGuard, Express-shaped request', (i) => guard.canActivate(new ExecutionContextHost([...express(pool[i])], BenchController, handler)));
  const profiler = await startProfile();
  // PROFILE=core: only the core's synchronous cold steps (extract, key, decode, validate, principal), no registry.
  const coreSteps = (i: number) => {
    const extracted = a.proxies.extract(request(i));
    a.verdicts.keyFor(extracted.profile, extracted.certificate.leaf, extracted.certificate.chain);
    const leaf = parseCertificate(extracted.certificate.leaf);
    const result = a.validator.validate(leaf, [], { at: new Date() });
    return result.ok ? createPrincipalOf(result.path) : result;
  };
  const { createPrincipal } = await import('@client-cert-auth/core');
  const createPrincipalOf = (path: any) => createPrincipal(path, { profile: 'waf', format: 'rfc9440' });
  const guardUs = await time(`${process.env.PROFILE === 'core' ? 'core steps' : 'ClientCertGuard, Fastify-shaped request'} (profiled)`, (i) =>
    process.env.PROFILE === 'core' ? coreSteps(i) : guard.canActivate(new ExecutionContextHost([...fastify(pool[i])], BenchController, handler)),
  );
  console.log(`guard / raw verify: ${(guardUs / raw).toFixed(2)}x (profiler on)`);
  await profiler.stopAndPrint(per);
  await app.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
