import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { POSTGRES_URL } from './postgres.schema';

/**
 * A throwaway database on the test server that a test can take offline and bring back
 * (`ALLOW_CONNECTIONS false` + terminating its sessions) without touching anything else on the
 * shared server: an outage as the application sees it.
 */
export async function createOutageDatabase(prefix: string) {
  if (!POSTGRES_URL) throw new Error('CLIENT_CERT_TEST_POSTGRES_URL is not set');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async stop() {
      await admin(async (c) => {
        await c.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
        await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
      });
    },
    async start() {
      await admin((c) => c.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`));
    },
    async drop() {
      await admin(async (c) => {
        await c.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
        await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
        await c.query(`DROP DATABASE IF EXISTS "${name}"`);
      });
    },
  };
}
