/**
 * Issue 14, goal 2: the registry's cost for a never-seen certificate, in-process. Per
 * certificate it answers what the authenticator asks on a cold request (deny-list, then
 * binding), a cache miss every time (every principal is new), on a registry holding one
 * account bound by SAN URI (as in the HTTP cold scenario) among BENCH_REGISTRY_NOISE other
 * accounts with fingerprint bindings. Four registries share each database and run in rotated
 * rounds in ONE process:
 *
 * - `indexed`: `lookup(principal)` with the key-presence index (the default; what the
 *   authenticator calls): the SAN URI is the only key the index holds, and the candidates of
 *   that key set were read before, so no statement;
 * - `lookup`: `lookup(principal)` with `keyIndex: false`: one cache pass, one statement;
 * - `prepared`: `isDenied` then `resolve` (two cache passes, one statement; the 0.3 request path);
 * - `typeorm`: `isDenied` then `resolve` on the TypeORM query builder (`requestPath: 'typeorm'`),
 *   i.e. the 0.2 lookup (the DN normalizer's fast path is shared: its own gain is the `normalizeDn` row).
 *
 * SQLite always (a temp file, WAL); PostgreSQL too when CLIENT_CERT_TEST_POSTGRES_URL is set
 * (its own schema, dropped after), where the pg queries per certificate are counted on the
 * wire. Median µs per certificate over all rounds. Run:
 *
 *   npm run bench:file bench/micro/registry-miss.bench.ts
 *   CLIENT_CERT_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:file bench/micro/registry-miss.bench.ts
 *
 * Knobs: BENCH_REGISTRY_CERTS [2000 per round], BENCH_ROUNDS [4], BENCH_REGISTRY_NOISE [1000].
 * Forked by `npm run bench` (micro part), it sends `{ results: RegistryMissResult[] }`.
 */
import type { Database } from 'better-sqlite3';
import { Client } from 'pg';
import type { ClientCertPrincipal } from '@client-cert-auth/core';
import { createRegistry, type RegistryHandle } from '../../libs/registry/src/factory/create-registry';
import type { RegistryDatabaseOptions } from '../../libs/registry/src/database/registry-database.options';
import { onBenchDatabases } from '../support/bench-databases';
import type { ClientCertRegistryOptions } from '../../libs/registry/src/module/client-cert-registry.options';
import { normalizeAnyDn, normalizeDn } from '../../libs/registry/src/normalize/dn.normalizer';
import { buildPrincipal, randomSha256 } from '../../libs/registry/src/testing/principal.builder';
import type { RatioRow } from '../report/ratio.table';

export interface RegistryMissResult {
  readonly driver: 'sqlite' | 'postgres' | 'normalizeDn';
  /** Median µs per never-seen certificate (isDenied + resolve), or per DN for `normalizeDn`. */
  readonly preparedUs: number;
  readonly typeormUs: number;
  /** Median µs per never-seen certificate through `lookup`, with and without the key-presence index. */
  readonly indexedUs?: number;
  readonly lookupUs?: number;
  /**
   * SQLite only: one prepared `SELECT` of one row on the same file, i.e. one read transaction
   * (its file locks are system calls): the floor under any lookup on this host.
   */
  readonly floorUs?: number;
  /** pg queries per certificate on the wire (PostgreSQL only). */
  readonly preparedQueries?: number;
  readonly typeormQueries?: number;
  readonly indexedQueries?: number;
}

const CERTS = Number(process.env.BENCH_REGISTRY_CERTS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const NOISE = Number(process.env.BENCH_REGISTRY_NOISE ?? 1000);
const PATHS = ['indexed', 'lookup', 'prepared', 'typeorm'] as const;
type Path = (typeof PATHS)[number];
const SILENT = { log: () => undefined, warn: () => undefined, error: () => undefined };
const SUBJECT = 'CN=bench client,OU=Payments,O=Bench Corp,L=Berlin,C=DE';
const ISSUER = 'CN=Bench Issuing CA,O=Bench Corp,C=DE';
const URI = 'spiffe://bench.local/client';

/** A never-seen certificate as the authenticator hands it over (ASCII names, one SAN URI). */
const fresh = (): ClientCertPrincipal => buildPrincipal({ subject: SUBJECT, issuer: ISSUER, san: { uri: [URI] } });

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The registry options and the calls of each path. */
const SETUP: Record<Path, { options: Pick<ClientCertRegistryOptions, 'requestPath' | 'keyIndex'>; oneCall: boolean }> = {
  indexed: { options: {}, oneCall: true },
  lookup: { options: { keyIndex: false }, oneCall: true },
  prepared: { options: { keyIndex: false }, oneCall: false },
  typeorm: { options: { requestPath: 'typeorm', keyIndex: false }, oneCall: false },
};

/** µs per certificate, one timing per certificate. */
async function measure(path: Path, handle: RegistryHandle, count: number): Promise<number[]> {
  const principals = Array.from({ length: count }, fresh);
  const times: number[] = [];
  const { registry } = handle;
  for (const principal of principals) {
    const start = process.hrtime.bigint();
    if (SETUP[path].oneCall) {
      const { denied, match } = await registry.lookup(principal);
      if (denied || !match) throw new Error('bench principal denied or not bound');
    } else {
      if (await registry.isDenied(principal)) throw new Error('bench principal denied');
      if (!(await registry.resolve(principal))) throw new Error('bench principal not bound');
    }
    times.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  return times;
}

/** pg queries sent while `work` runs. */
async function pgQueries(work: () => Promise<unknown>): Promise<number> {
  let sent = 0;
  const query = Client.prototype.query;
  Client.prototype.query = function (this: Client, ...args: unknown[]) {
    sent++;
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  try {
    await work();
  } finally {
    Client.prototype.query = query;
  }
  return sent;
}

async function benchDriver(driver: 'sqlite' | 'postgres', database: RegistryDatabaseOptions): Promise<RegistryMissResult> {
  const handles = {} as Record<Path, RegistryHandle>;
  // Caches far larger than a round's certificates: every lookup below is a miss by construction.
  for (const path of PATHS)
    handles[path] = await createRegistry({ database, ...SETUP[path].options, lastSeenFlushSeconds: 0, cacheMax: 100_000, logger: SILENT });
  try {
    const { admin } = handles.prepared;
    await admin.addAccount({ name: 'bench-client', roles: ['bench'] });
    await admin.bind({ account: 'bench-client', kind: 'san-uri', value: URI });
    for (let i = 0; i < NOISE; i++) {
      await admin.addAccount({ name: `noise-${i}`, roles: [] });
      await admin.bind({ account: `noise-${i}`, kind: 'fingerprint', value: randomSha256() });
    }
    await new Promise((resolve) => setTimeout(resolve, 300)); // the writes' invalidations have arrived
    for (const path of PATHS) await measure(path, handles[path], 300); // JIT, statement caches, pool, key index build
    const index = handles.indexed.registry.keyIndex;
    await index?.settled();
    if (index?.current() === undefined) throw new Error('the key index was not built');
    const times: Record<Path, number[]> = { indexed: [], lookup: [], prepared: [], typeorm: [] };
    for (let round = 0; round < ROUNDS; round++) {
      // Each path first, last and in between once every PATHS.length rounds.
      const order = PATHS.map((_, i) => PATHS[(i + round) % PATHS.length]);
      for (const path of order) times[path].push(...(await measure(path, handles[path], CERTS)));
    }
    const result: RegistryMissResult = {
      driver,
      preparedUs: median(times.prepared),
      typeormUs: median(times.typeorm),
      indexedUs: median(times.indexed),
      lookupUs: median(times.lookup),
    };
    if (driver === 'sqlite') return { ...result, floorUs: sqliteFloor(handles.prepared) };
    const perCert = async (path: Path) => (await pgQueries(() => measure(path, handles[path], 100))) / 100;
    return { ...result, preparedQueries: await perCert('prepared'), typeormQueries: await perCert('typeorm'), indexedQueries: await perCert('indexed') };
  } finally {
    for (const path of PATHS) await handles[path].close();
  }
}

function sqliteFloor(handle: RegistryHandle): number {
  const connection = (handle.dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection;
  const statement = connection.prepare('SELECT "id" FROM "cc_accounts" LIMIT 1').raw(true);
  const samples: number[] = [];
  for (let i = 0; i < 20_000; i++) {
    const start = process.hrtime.bigint();
    statement.get();
    samples.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  return median(samples.slice(2000));
}

function benchNormalizeDn(): RegistryMissResult {
  const names = [SUBJECT, ISSUER];
  const per = (normalize: (dn: string) => string) => {
    // The keys' lengths are summed and checked, so no call can be optimised away.
    let sink = 0;
    for (let i = 0; i < 20_000; i++) sink += normalize(names[i % 2]).length;
    const samples: number[] = [];
    for (let s = 0; s < 20; s++) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < 5000; i++) sink += normalize(names[i % 2]).length;
      samples.push(Number(process.hrtime.bigint() - start) / 1000 / 5000);
    }
    if (sink === 0) throw new Error('no keys');
    return median(samples);
  };
  return { driver: 'normalizeDn', preparedUs: per(normalizeDn), typeormUs: per(normalizeAnyDn) };
}

async function main(): Promise<void> {
  const results: RegistryMissResult[] = [benchNormalizeDn(), ...(await onBenchDatabases('cc-registry-miss', benchDriver))];
  if (process.send) {
    process.send({ results }, () => process.exit(0));
    return;
  }
  console.log(`registry miss: deny-list + binding of a never-seen certificate, median of ${ROUNDS} x ${CERTS} per path (${NOISE} other accounts)`);
  console.log(
    '| what | lookup, key index | lookup, no index | isDenied + resolve, prepared (0.3) | TypeORM path (0.2) | pg queries per certificate: index / prepared / TypeORM | floor: one SQLite read transaction |',
  );
  console.log('|---|---|---|---|---|---|---|');
  const us = (value: number | undefined) => (value === undefined ? '' : `${value.toFixed(1)} µs`);
  for (const r of results) {
    const what = r.driver === 'normalizeDn' ? 'normalizeDn, subject or issuer (fast path vs general)' : `${r.driver}, never-seen certificate`;
    const queries = r.preparedQueries === undefined ? '' : `${r.indexedQueries} / ${r.preparedQueries} / ${r.typeormQueries}`;
    console.log(`| ${what} | ${us(r.indexedUs)} | ${us(r.lookupUs)} | ${us(r.preparedUs)} | ${us(r.typeormUs)} | ${queries} | ${us(r.floorUs)} |`);
  }
}

if (require.main === module) {
  void main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

/** Rows of `npm run bench`'s table (issue 14, goal 2). */
export function registryMissRows(results: readonly RegistryMissResult[]): RatioRow[] {
  const us = (value: number) => `${value.toFixed(1)} µs`;
  return results.flatMap((r): RatioRow[] => {
    if (r.driver === 'normalizeDn') {
      return [
        {
          area: 'Registry',
          comparison: 'normalizeDn of a certificate name: fast path / general',
          measured: us(r.preparedUs),
          reference: us(r.typeormUs),
          ratio: r.preparedUs / r.typeormUs,
        },
      ];
    }
    const area = `Registry ${r.driver === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`;
    const rows: RatioRow[] = [];
    if (r.indexedUs !== undefined) {
      rows.push({
        area,
        comparison: 'never-seen certificate: lookup with the key index / TypeORM path',
        measured: us(r.indexedUs),
        reference: us(r.typeormUs),
        ratio: r.indexedUs / r.typeormUs,
        ...(r.driver === 'sqlite' ? { target: '<= 20 µs', pass: r.indexedUs <= 20 } : {}),
      });
    }
    rows.push({
      area,
      comparison: 'never-seen certificate (isDenied + resolve): prepared / TypeORM path',
      measured: us(r.preparedUs),
      reference: us(r.typeormUs),
      ratio: r.preparedUs / r.typeormUs,
    });
    if (r.floorUs !== undefined) {
      rows.push({
        area: 'Registry SQLite',
        comparison: 'floor: one prepared SELECT (one read transaction) on the same file',
        measured: us(r.floorUs),
        reference: '',
      });
    }
    if (r.preparedQueries !== undefined) {
      rows.push({
        area: 'Registry PostgreSQL',
        comparison: 'pg queries per never-seen certificate: with the key index / TypeORM path',
        measured: (r.indexedQueries ?? r.preparedQueries).toFixed(2),
        reference: (r.typeormQueries ?? 0).toFixed(2),
        target: '<= 1 (+ LISTEN probes)',
        pass: (r.indexedQueries ?? r.preparedQueries) < 1.1,
      });
    }
    return rows;
  });
}
