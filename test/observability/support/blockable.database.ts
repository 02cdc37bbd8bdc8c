import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * A throwaway database on the shared PostgreSQL server that a test can take away from the app
 * (as a stopped server looks to it: connections killed, new ones refused) and give back, without
 * touching the server or anyone else's database.
 */
export class BlockableDatabase {
  readonly name = `cca_obs_${randomBytes(6).toString('hex')}`;

  private constructor(private readonly adminUrl: string) {}

  /** Creates the database through `adminUrl` (a superuser connection, as CI provides). */
  static async create(adminUrl: string): Promise<BlockableDatabase> {
    const db = new BlockableDatabase(adminUrl);
    await db.admin(`CREATE DATABASE ${db.name}`);
    return db;
  }

  /** The URL the app uses. */
  get url(): string {
    const url = new URL(this.adminUrl);
    url.pathname = `/${this.name}`;
    return url.toString();
  }

  /** Refuses new connections and terminates the open ones (pool and LISTEN). */
  async block(): Promise<void> {
    await this.admin(`ALTER DATABASE ${this.name} ALLOW_CONNECTIONS false`);
    await this.admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${this.name}'`);
  }

  async unblock(): Promise<void> {
    await this.admin(`ALTER DATABASE ${this.name} ALLOW_CONNECTIONS true`);
  }

  async drop(): Promise<void> {
    await this.admin(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`);
  }

  private async admin(sql: string): Promise<void> {
    const client = new Client({ connectionString: this.adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }
}
