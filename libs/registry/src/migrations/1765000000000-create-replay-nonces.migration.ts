import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Nonces of HMAC-signed requests, shared by every instance on PostgreSQL (`PostgresReplayStore`).
 * Created on SQLite too, so both dialects keep one schema history; only PostgreSQL uses it.
 * `expires_at` is in milliseconds since the epoch (the instances' clocks, as the MAC window is).
 */
export class CreateReplayNonces1765000000000 implements MigrationInterface {
  readonly name = 'CreateReplayNonces1765000000000';

  async up(runner: QueryRunner): Promise<void> {
    const t = qualified(runner, 'cc_replay_nonces');
    await runner.query(`CREATE TABLE ${t} ("nonce" varchar(200) PRIMARY KEY, "expires_at" bigint NOT NULL)`);
    await runner.query(`CREATE INDEX "cc_replay_nonces_expires_idx" ON ${t} ("expires_at")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE ${qualified(runner, 'cc_replay_nonces')}`);
  }
}

function qualified(runner: QueryRunner, table: string): string {
  const options = runner.connection.driver.options as { type: string; schema?: string };
  return options.type === 'postgres' && options.schema ? `"${options.schema}"."${table}"` : `"${table}"`;
}
