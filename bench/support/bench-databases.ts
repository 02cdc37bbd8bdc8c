import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { PostgresRegistryDatabase, RegistryDatabaseOptions } from '../../libs/registry/src/database/registry-database.options';

/**
 * Runs `bench` on a throwaway SQLite file, then, when CLIENT_CERT_TEST_POSTGRES_URL is set, in a
 * throwaway PostgreSQL schema (dropped after, also when the bench fails): the registry micro
 * benches' two databases. `postgres` adds options to the PostgreSQL connection.
 */
export async function onBenchDatabases<T>(
  prefix: string,
  bench: (driver: 'sqlite' | 'postgres', database: RegistryDatabaseOptions) => Promise<T>,
  postgres: Partial<Omit<PostgresRegistryDatabase, 'type' | 'url' | 'schema'>> = {},
): Promise<T[]> {
  const results: T[] = [];
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  try {
    results.push(await bench('sqlite', { type: 'sqlite', path: join(dir, 'registry.sqlite') }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const url = process.env.CLIENT_CERT_TEST_POSTGRES_URL;
  if (url) {
    const schema = `cc_bench_${randomBytes(6).toString('hex')}`;
    try {
      results.push(await bench('postgres', { ...postgres, type: 'postgres', url, schema }));
    } finally {
      const client = new Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  }
  return results;
}
