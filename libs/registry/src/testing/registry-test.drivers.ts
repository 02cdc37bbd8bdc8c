import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { RegistryDatabaseOptions } from '../database/registry-database.options';

/** A fresh, isolated database per test file: a temp SQLite file, or a random PostgreSQL schema. */
export interface TestDatabase {
  readonly database: RegistryDatabaseOptions;
  drop(): Promise<void>;
}

export interface TestDriver {
  readonly name: 'sqlite' | 'postgres';
  create(overrides?: Partial<{ url: string }>): Promise<TestDatabase>;
}

/** Set to run the suites on PostgreSQL too, e.g. `postgres://postgres@127.0.0.1:5432/test`. */
export const POSTGRES_TEST_URL_ENV = 'CLIENT_CERT_TEST_POSTGRES_URL';

const sqlite: TestDriver = {
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'cc-registry-'));
    return {
      database: { type: 'sqlite', path: join(dir, 'registry.sqlite') },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

const postgres = (url: string): TestDriver => ({
  name: 'postgres',
  async create(overrides) {
    const schema = `cc_test_${randomBytes(6).toString('hex')}`;
    return {
      database: { type: 'postgres', url: overrides?.url ?? url, schema, queryTimeoutMs: 1500, connectTimeoutMs: 1000, applicationName: schema },
      drop: async () => {
        const client = new Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        } finally {
          await client.end();
        }
      },
    };
  },
});

/** The drivers to run a suite on: SQLite always, PostgreSQL when the env var is set. */
export function testDrivers(): TestDriver[] {
  const url = process.env[POSTGRES_TEST_URL_ENV];
  return url ? [sqlite, postgres(url)] : [sqlite];
}

/** The PostgreSQL driver alone (empty when not configured), for PG-only suites. */
export function postgresDrivers(): TestDriver[] {
  const url = process.env[POSTGRES_TEST_URL_ENV];
  return url ? [postgres(url)] : [];
}

/**
 * `describe.each` over the PostgreSQL driver; without one configured, a single skipped suite whose
 * title says why (listed at the end of `npm test`).
 */
export function describeOnPostgres(title: string, suite: (driver: TestDriver) => void): void {
  const drivers = postgresDrivers();
  if (drivers.length > 0) {
    describe.each(drivers)(title, suite);
    return;
  }
  const placeholder = { name: 'postgres' } as TestDriver;
  describe.skip(`${title.replace('$name', 'postgres')} [skipped: ${POSTGRES_TEST_URL_ENV} is not set]`, () => suite(placeholder));
}
