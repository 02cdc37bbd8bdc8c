/**
 * Scratch profiler (not part of `npm run bench`): the registry's cold lookup alone
 * (`isDenied` + `resolve` of never-seen principals on a SQLite file), for `--cpu-prof`; prints
 * the self time per function (top 25, µs per certificate) of the profile it wrote.
 *
 *   npm run bench:file bench/profile/registry-miss.profile.ts -- prepared
 *   npm run bench:file bench/profile/registry-miss.profile.ts -- typeorm
 */
import { Session } from 'node:inspector/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistry } from '../../libs/registry/src/factory/create-registry';
import type { RequestPath } from '../../libs/registry/src/registry/request-path/candidate-reader.factory';
import { buildPrincipal } from '../../libs/registry/src/testing/principal.builder';

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
}

async function main(): Promise<void> {
  const path = (process.argv[2] ?? 'prepared') as RequestPath;
  const count = Number(process.env.N ?? 20_000);
  const dir = mkdtempSync(join(tmpdir(), 'cc-registry-profile-'));
  const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };
  const handle = await createRegistry({
    database: { type: 'sqlite', path: join(dir, 'r.sqlite') },
    requestPath: path,
    lastSeenFlushSeconds: 0,
    cacheMax: 200_000,
    logger: silent,
  });
  await handle.admin.addAccount({ name: 'bench', roles: ['bench'] });
  await handle.admin.bind({ account: 'bench', kind: 'san-uri', value: 'spiffe://bench.local/client' });
  const fresh = () =>
    buildPrincipal({
      subject: 'CN=bench client,OU=Payments,O=Bench Corp,L=Berlin,C=DE',
      issuer: 'CN=Bench Issuing CA,O=Bench Corp,C=DE',
      san: { uri: ['spiffe://bench.local/client'] },
    });
  const run = async (principals: ReturnType<typeof fresh>[]) => {
    const n = principals.length;
    const start = process.hrtime.bigint();
    for (const p of principals) {
      await handle.registry.isDenied(p);
      await handle.registry.resolve(p);
    }
    return Number(process.hrtime.bigint() - start) / 1000 / n;
  };
  await run(Array.from({ length: 2000 }, fresh));
  const principals = Array.from({ length: count }, fresh); // outside the profile
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 50 });
  await session.post('Profiler.start');
  const perCert = await run(principals);
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
  await handle.close();
  rmSync(dir, { recursive: true, force: true });
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    const key = `${functionName || '(anonymous)'} ${url.replace(/.*\/(node_modules\/)?/, '')}:${lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const parents = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parents.set(c, n.id);
  const callers = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const node = nodes.get(id)!;
    if (node.callFrame.url !== '') return;
    const parent = nodes.get(parents.get(id) ?? -1);
    const key = `${node.callFrame.functionName} <- ${parent?.callFrame.functionName ?? '?'} ${parent?.callFrame.url.replace(/.*\//, '') ?? ''}:${(parent?.callFrame.lineNumber ?? 0) + 1}`;
    callers.set(key, (callers.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  if (process.env.CALLERS)
    for (const [key, us] of [...callers].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`native ${(us / count).toFixed(2).padStart(8)} µs  ${key}`);
  console.log(`${path}: ${perCert.toFixed(1)} µs per never-seen certificate (wall, isDenied + resolve), ${count} certificates`);
  for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${(us / count).toFixed(2).padStart(8)} µs  ${key}`);
}

void main();
