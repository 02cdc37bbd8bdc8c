import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The PostgreSQL server CI provides; tests that need it are skipped (and say so) without it. */
export const POSTGRES_URL = process.env.CLIENT_CERT_TEST_POSTGRES_URL;

/**
 * A throwaway schema on the test server, so parallel test files and CI runs never share
 * tables. `url` selects it for the registry (`?schema=`); `drop()` removes it.
 */
export async function createTestSchema(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (!POSTGRES_URL) throw new Error('CLIENT_CERT_TEST_POSTGRES_URL is not set');
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  const separator = POSTGRES_URL.includes('?') ? '&' : '?';
  return {
    url: `${POSTGRES_URL}${separator}schema=${schema}`,
    async drop() {
      const client = new Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
