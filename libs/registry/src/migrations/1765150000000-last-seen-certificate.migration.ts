import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15, point 5: per binding, the certificate the registry last saw under it (its SHA-256
 * fingerprint and notAfter), written by the last-seen recorder in its batched flush. Both NULL
 * until a certificate is seen; existing rows keep NULL. The index serves `accounts list
 * --expiring` and the expiry gauge, which both read the soonest notAfter values.
 */
export class LastSeenCertificate1765150000000 implements MigrationInterface {
  readonly name = 'LastSeenCertificate1765150000000';

  async up(runner: QueryRunner): Promise<void> {
    const pg = runner.connection.driver.options.type === 'postgres';
    const bindings = qualified(runner, 'cc_bindings');
    await runner.query(`ALTER TABLE ${bindings} ADD COLUMN "last_cert_not_after" ${pg ? 'timestamptz' : 'datetime'} NULL`);
    await runner.query(`ALTER TABLE ${bindings} ADD COLUMN "last_cert_fingerprint" varchar(64) NULL`);
    await runner.query(`CREATE INDEX "cc_bindings_last_cert_not_after_idx" ON ${bindings} ("last_cert_not_after")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const pg = runner.connection.driver.options.type === 'postgres';
    const schema = (runner.connection.driver.options as { schema?: string }).schema;
    const bindings = qualified(runner, 'cc_bindings');
    await runner.query(`DROP INDEX ${pg && schema ? `"${schema}".` : ''}"cc_bindings_last_cert_not_after_idx"`);
    // SQLite drops columns since 3.35 (better-sqlite3 12 bundles a newer one).
    await runner.query(`ALTER TABLE ${bindings} DROP COLUMN "last_cert_fingerprint"`);
    await runner.query(`ALTER TABLE ${bindings} DROP COLUMN "last_cert_not_after"`);
  }
}

/** `"schema"."table"` on PostgreSQL when a schema is configured, else `"table"`. */
function qualified(runner: QueryRunner, table: string): string {
  const options = runner.connection.driver.options as { type: string; schema?: string };
  return options.type === 'postgres' && options.schema ? `"${options.schema}"."${table}"` : `"${table}"`;
}
