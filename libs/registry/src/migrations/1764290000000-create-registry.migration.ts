import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The initial schema, hand-written per dialect (no `synchronize`): PostgreSQL gets `timestamptz`,
 * SQLite ISO datetimes. Every lookup the hot path makes is served by a unique index.
 */
export class CreateRegistry1764290000000 implements MigrationInterface {
  readonly name = 'CreateRegistry1764290000000';

  async up(runner: QueryRunner): Promise<void> {
    const pg = runner.connection.driver.options.type === 'postgres';
    const ts = pg ? 'timestamptz' : 'datetime';
    const t = (name: string) => qualified(runner, name);
    await runner.query(`CREATE TABLE ${t('cc_accounts')} (
      "id" varchar(36) PRIMARY KEY,
      "name" varchar(200) NOT NULL,
      "status" varchar(16) NOT NULL DEFAULT 'active' CHECK ("status" IN ('active', 'disabled')),
      "roles" text NOT NULL DEFAULT '[]',
      "created_at" ${ts} NOT NULL,
      "updated_at" ${ts} NOT NULL,
      "last_seen_at" ${ts} NULL)`);
    await runner.query(`CREATE UNIQUE INDEX "cc_accounts_name_uq" ON ${t('cc_accounts')} ("name")`);
    await runner.query(`CREATE TABLE ${t('cc_bindings')} (
      "id" varchar(36) PRIMARY KEY,
      "account_id" varchar(36) NOT NULL REFERENCES ${t('cc_accounts')} ("id") ON DELETE CASCADE,
      "kind" varchar(32) NOT NULL,
      "value" varchar(1024) NOT NULL,
      "issuer_scope" varchar(1024) NOT NULL DEFAULT '',
      "not_before" ${ts} NULL,
      "not_after" ${ts} NULL,
      "created_at" ${ts} NOT NULL)`);
    await runner.query(`CREATE UNIQUE INDEX "cc_bindings_kind_value_scope_uq" ON ${t('cc_bindings')} ("kind", "value", "issuer_scope")`);
    await runner.query(`CREATE INDEX "cc_bindings_account_idx" ON ${t('cc_bindings')} ("account_id")`);
    await runner.query(`CREATE TABLE ${t('cc_denied_certificates')} (
      "id" varchar(36) PRIMARY KEY,
      "kind" varchar(32) NOT NULL,
      "value" varchar(1024) NOT NULL,
      "reason" varchar(500) NOT NULL DEFAULT '',
      "created_at" ${ts} NOT NULL)`);
    await runner.query(`CREATE UNIQUE INDEX "cc_denied_kind_value_uq" ON ${t('cc_denied_certificates')} ("kind", "value")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['cc_denied_certificates', 'cc_bindings', 'cc_accounts']) {
      await runner.query(`DROP TABLE ${qualified(runner, table)}`);
    }
  }
}

/** `"schema"."table"` on PostgreSQL when a schema is configured, else `"table"`. */
function qualified(runner: QueryRunner, table: string): string {
  const options = runner.connection.driver.options as { type: string; schema?: string };
  return options.type === 'postgres' && options.schema ? `"${options.schema}"."${table}"` : `"${table}"`;
}
