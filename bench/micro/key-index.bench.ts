/**
 * The key-presence index's rebuild: how long reading and hashing every bound and denied key
 * takes, per 100,000 keys, and the longest time it blocks the event loop at once (measured by a
 * setImmediate ticker running alongside). On SQLite a page of 5,000 keys is read
 * synchronously; on PostgreSQL (when CLIENT_CERT_TEST_POSTGRES_URL is set; its own schema,
 * dropped after) pages of 5,000 come over the wire and only their hashing blocks. The registry
 * spaces rebuilds so that they take at most 10 % of the time (registry-key.index.ts).
 * Median of BENCH_ROUNDS [7] builds after one warm-up. Run:
 *
 *   npm run bench:file bench/micro/key-index.bench.ts
 *   CLIENT_CERT_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:file bench/micro/key-index.bench.ts
 *
 * Knobs: BENCH_KEYS [100000 bindings, plus 1 % as many deny-list entries].
 */
import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { createRegistry, type RegistryHandle } from '../../libs/registry/src/factory/create-registry';
import type { RegistryDatabaseOptions } from '../../libs/registry/src/database/registry-database.options';
import { onBenchDatabases } from '../support/bench-databases';
import { AccountEntity } from '../../libs/registry/src/entities/account.entity';
import { BindingEntity } from '../../libs/registry/src/entities/binding.entity';
import { DeniedCertificateEntity } from '../../libs/registry/src/entities/denied-certificate.entity';
import { qualifiedName } from '../../libs/registry/src/registry/request-path/candidate-row.hydrator';
import { keySourceFor } from '../../libs/registry/src/registry/key-index/key-index.source';
import { fnv1aKeyHash } from '../../libs/registry/src/registry/key-index/key-presence.index';

const KEYS = Number(process.env.BENCH_KEYS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const SILENT = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** KEYS fingerprint bindings of one account, and KEYS / 100 denied fingerprints, written in bulk by SQL. */
async function fill(handle: RegistryHandle): Promise<void> {
  await handle.admin.addAccount({ name: 'bench', roles: [] });
  const deny = Math.ceil(KEYS / 100);
  if (handle.dataSource.options.type === 'better-sqlite3') {
    const connection = (handle.dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection;
    const account = (connection.prepare('SELECT "id" FROM "cc_accounts"').get() as { id: string }).id;
    const bind = connection.prepare(
      'INSERT INTO "cc_bindings" ("id", "account_id", "kind", "value", "issuer_scope", "created_at") VALUES (?, ?, \'fingerprint\', ?, \'\', ?)',
    );
    const denied = connection.prepare(
      'INSERT INTO "cc_denied_certificates" ("id", "kind", "value", "reason", "created_at") VALUES (?, \'fingerprint\', ?, \'\', ?)',
    );
    const now = new Date().toISOString();
    connection.transaction(() => {
      for (let i = 0; i < KEYS; i++) bind.run(`b${i}`, account, randomBytes(32).toString('hex'), now);
      for (let i = 0; i < deny; i++) denied.run(`d${i}`, randomBytes(32).toString('hex'), now);
    })();
    return;
  }
  const [bindings, denied, accounts] = [BindingEntity, DeniedCertificateEntity, AccountEntity].map((entity) =>
    qualifiedName(handle.dataSource, handle.dataSource.getMetadata(entity).tablePath),
  );
  const sha = `encode(sha256(random()::text::bytea), 'hex')`;
  await handle.dataSource.query(
    `INSERT INTO ${bindings} ("id", "account_id", "kind", "value", "issuer_scope", "created_at")
     SELECT 'b' || i, (SELECT "id" FROM ${accounts} LIMIT 1), 'fingerprint', ${sha}, '', now() FROM generate_series(1, ${KEYS}) i`,
  );
  await handle.dataSource.query(
    `INSERT INTO ${denied} ("id", "kind", "value", "reason", "created_at") SELECT 'd' || i, 'fingerprint', ${sha}, '', now() FROM generate_series(1, ${deny}) i`,
  );
}

/** The longest gap between two turns of the event loop while it runs. */
function loopBlockTicker(): { stop(): number } {
  let last = process.hrtime.bigint();
  let longest = 0;
  let running = true;
  const tick = () => {
    const now = process.hrtime.bigint();
    longest = Math.max(longest, Number(now - last) / 1e6);
    last = now;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    stop: () => {
      running = false;
      tick();
      return longest;
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function benchDriver(name: string, database: RegistryDatabaseOptions): Promise<string> {
  const handle = await createRegistry({ database, lastSeenFlushSeconds: 0, logger: SILENT, keyIndex: false });
  try {
    await fill(handle);
    const source = keySourceFor(handle.dataSource)!;
    const keys = await source.count();
    const times: number[] = [];
    const blocks: number[] = [];
    for (let round = 0; round <= ROUNDS; round++) {
      const ticker = loopBlockTicker();
      const start = process.hrtime.bigint();
      const snapshot = await source.read(fnv1aKeyHash);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const block = ticker.stop();
      if (snapshot.bindings.size + snapshot.denied.size !== keys) throw new Error('keys missing from the index');
      if (round === 0) continue; // warm-up
      times.push(ms);
      blocks.push(block);
    }
    const ms = median(times);
    const perKeys = (ms * 100_000) / keys;
    return `| ${name} | ${keys} | ${ms.toFixed(1)} ms | ${perKeys.toFixed(1)} ms | ${median(blocks).toFixed(1)} ms | ${((keys * 4) / 1024).toFixed(0)} KiB |`;
  } finally {
    await handle.close();
  }
}

async function main(): Promise<void> {
  const rows = await onBenchDatabases(
    'cc-key-index',
    (driver, database) => benchDriver(driver === 'sqlite' ? 'sqlite (blocks the loop)' : 'postgres (pages of 5,000)', database),
    { queryTimeoutMs: 120_000 },
  );
  console.log(`key-presence index rebuild: median of ${ROUNDS} builds`);
  console.log('| driver | keys (bindings + deny-list) | build | per 100,000 keys | longest event-loop block | index size |');
  console.log('|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
