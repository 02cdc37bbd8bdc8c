import type { Database } from 'better-sqlite3';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { BindingEntity } from '../../entities/binding.entity';
import { DeniedCertificateEntity } from '../../entities/denied-certificate.entity';
import { qualifiedName } from '../request-path/candidate-row.hydrator';
import { type KeyHash, KeyPresenceIndex } from './key-presence.index';

/** The two key sets of the registry, as read at one moment. */
export interface KeySnapshot {
  readonly bindings: KeyPresenceIndex;
  readonly denied: KeyPresenceIndex;
}

/** Reads every `(kind, value)` of the bindings table and of the deny-list, on the raw driver. */
export interface KeySource {
  /** Rows of both tables together (checked against the cap before reading them). */
  count(): Promise<number>;
  read(hash: KeyHash): Promise<KeySnapshot>;
}

/**
 * Keys per page on SQLite, where a page is read synchronously: a build of 100,000 keys took
 * 250-310 ms in all, its longest event-loop block 30-38 ms (the final sort included), on a
 * 2-core host at load 6-10 (bench/micro/key-index.bench.ts); the loop is free between pages.
 */
const SQLITE_PAGE = 5_000;
/** PostgreSQL keys are read in pages along the `(kind, value)` index, so a large registry never sits in memory as rows. */
const PG_PAGE = 5_000;

/**
 * The key source for this DataSource's driver, or `undefined` for a driver the request path does
 * not reach directly (no index then). Reads bypass the DataSource's logger: they are not
 * lookups, and statement-count tests and `logging` should see only lookups.
 */
export function keySourceFor(dataSource: DataSource): KeySource | undefined {
  const tables = [BindingEntity, DeniedCertificateEntity].map((entity) => qualifiedName(dataSource, dataSource.getMetadata(entity).tablePath));
  const [bindingsTable, deniedTable] = tables;
  if (dataSource.options.type === 'better-sqlite3') {
    const sqlite = (): Database => {
      const connection = (dataSource.driver as unknown as { databaseConnection?: Database }).databaseConnection;
      if (!connection?.open) throw new Error('registry database is not connected');
      // Inside a write transaction this connection would read uncommitted rows (one rolled back
      // could leave a deny key out of the index): build later, after it ends.
      if (connection.inTransaction) throw new Error('a write transaction is open on the registry connection');
      return connection;
    };
    const hashes = async (table: string, hash: KeyHash) => {
      const buffer = new HashBuffer();
      let after = -Infinity;
      for (;;) {
        const page = sqlite().prepare(`SELECT rowid, "kind", "value" FROM ${table} WHERE rowid > ? ORDER BY rowid LIMIT ${SQLITE_PAGE}`).raw(true);
        let rows = 0;
        for (const [rowid, kind, value] of page.iterate(after) as Iterable<[number, string, string]>) {
          buffer.push(hash(kind, value), kind);
          after = rowid;
          rows++;
        }
        if (rows < SQLITE_PAGE) return KeyPresenceIndex.fromHashes(buffer.finish(), hash, buffer.kinds);
        await new Promise((resolve) => setImmediate(resolve)); // requests run between pages
      }
    };
    return {
      count: async () => sqlite().prepare(`SELECT (SELECT COUNT(*) FROM ${bindingsTable}) + (SELECT COUNT(*) FROM ${deniedTable})`).pluck().get() as number,
      // Page by page, each its own read transaction: a write between pages invalidates, which
      // discards this build (same-process writes at once, other processes at the next data_version poll).
      read: async (hash) => ({ bindings: await hashes(bindingsTable, hash), denied: await hashes(deniedTable, hash) }),
    };
  }
  if (dataSource.options.type === 'postgres') {
    const pool = (): Pool => {
      const master = (dataSource.driver as unknown as { master?: Pool }).master;
      if (!master) throw new Error('registry database is not connected');
      return master;
    };
    const hashes = async (table: string, hash: KeyHash) => {
      const buffer = new HashBuffer();
      let after: [string, string] | undefined;
      for (;;) {
        const where = after ? `WHERE ("kind", "value") > ($1, $2) ` : '';
        const text = `SELECT "kind", "value" FROM ${table} ${where}ORDER BY "kind", "value" LIMIT ${PG_PAGE}`;
        const { rows } = await pool().query<[string, string]>({ text, values: after ?? [], rowMode: 'array' });
        for (const [kind, value] of rows) buffer.push(hash(kind, value), kind);
        if (rows.length < PG_PAGE) return KeyPresenceIndex.fromHashes(buffer.finish(), hash, buffer.kinds);
        after = rows[rows.length - 1];
      }
    };
    return {
      count: async () => {
        const { rows } = await pool().query<[string]>({
          text: `SELECT (SELECT COUNT(*) FROM ${bindingsTable}) + (SELECT COUNT(*) FROM ${deniedTable})`,
          rowMode: 'array',
        });
        return Number(rows[0][0]);
      },
      // Two reads, not one snapshot: a write between them is followed by its NOTIFY, which
      // discards this build (the generation it started under is no longer current).
      read: async (hash) => ({ bindings: await hashes(bindingsTable, hash), denied: await hashes(deniedTable, hash) }),
    };
  }
  return undefined;
}

/** An Int32Array that grows by doubling: no boxed number per key while reading; and the kinds seen. */
class HashBuffer {
  private hashes = new Int32Array(1024);
  private length = 0;
  readonly kinds = new Set<string>();
  /** Rows come in runs of one kind (PostgreSQL reads in kind order): a Set probe only when the kind changes. */
  private lastKind?: string;

  push(hash: number, kind: string): void {
    if (kind !== this.lastKind) {
      this.kinds.add(kind);
      this.lastKind = kind;
    }
    if (this.length === this.hashes.length) {
      const grown = new Int32Array(this.hashes.length * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[this.length++] = hash;
  }

  /** A copy of exactly the hashes pushed (the spare capacity is not kept alive). */
  finish(): Int32Array {
    return this.hashes.slice(0, this.length);
  }
}
