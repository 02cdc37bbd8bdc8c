import type { Database, Statement } from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { DeniedCertificateEntity } from '../../entities/denied-certificate.entity';
import type { BindingKey } from '../../normalize/principal.keys';
import type { CandidateLookup, CandidateReader, CandidateRow } from '../candidate.reader';
import { CANDIDATE_COLUMNS, CandidateRowHydrator, qualifiedName } from './candidate-row.hydrator';

/**
 * Keys per statement: one statement text per key count up to this (an exact `IN` list probes
 * only what it must), larger lists in chunks of it. A certificate has 4-6 keys unless it carries
 * many SANs; the deny-list has 1 or 2.
 */
const MAX_KEYS = 16;

/**
 * The request path on better-sqlite3: statements prepared once per shape and connection (the
 * shapes are few: a key count up to MAX_KEYS, with or without the deny-list), then executed
 * synchronously per lookup: no query builder, no entity metadata walk, no query runner.
 * `lookup` reads the deny-list answer and the candidates in ONE statement: on SQLite every
 * statement outside a transaction is its own read transaction, and taking and releasing its
 * file locks (several system calls) costs more than the index probes themselves.
 * Statements are still reported to the DataSource's logger, so `logging` and the query-count
 * tests see them as before.
 */
export class SqliteCandidateReader implements CandidateReader {
  private readonly hydrator: CandidateRowHydrator;
  private readonly deniedTable: string;
  private connection?: Database;
  private readonly statements = new Map<string, Statement>();
  /** Statements prepared so far (once per shape and connection; tests read it). */
  preparations = 0;

  constructor(private readonly dataSource: DataSource) {
    this.hydrator = new CandidateRowHydrator(dataSource);
    this.deniedTable = qualifiedName(dataSource, dataSource.getMetadata(DeniedCertificateEntity).tablePath);
  }

  async bindings(keys: readonly BindingKey[]): Promise<CandidateRow[]> {
    const rows: CandidateRow[] = [];
    for (let start = 0; start < keys.length; start += MAX_KEYS) {
      const chunk = keys.slice(start, start + MAX_KEYS);
      for (const raw of this.run(`b${chunk.length}`, flatten(chunk))) rows.push(this.hydrator.row(raw));
    }
    return rows;
  }

  async denied(keys: readonly BindingKey[]): Promise<boolean> {
    for (let start = 0; start < keys.length; start += MAX_KEYS) {
      const chunk = keys.slice(start, start + MAX_KEYS);
      if (this.run(`d${chunk.length}`, flatten(chunk)).length > 0) return true;
    }
    return false;
  }

  readonly lookup = async (bindingKeys: readonly BindingKey[], denyKeys: readonly BindingKey[]): Promise<CandidateLookup> => {
    if (bindingKeys.length === 0 || bindingKeys.length > MAX_KEYS || denyKeys.length === 0 || denyKeys.length > MAX_KEYS) {
      return { denied: await this.denied(denyKeys), rows: await this.bindings(bindingKeys) };
    }
    // Rows tagged 1 are deny-list hits, rows tagged 0 candidates.
    const raws = this.run(`l${bindingKeys.length}/${denyKeys.length}`, [...flatten(denyKeys), ...flatten(bindingKeys)]);
    let denied = false;
    const rows: CandidateRow[] = [];
    for (const raw of raws) {
      if (raw[0] === 1) denied = true;
      else rows.push(this.hydrator.row(raw.slice(1)));
    }
    return { denied, rows };
  };

  /** Runs the statement of `shape` on the current connection (prepared on first use there). */
  private run(shape: string, params: string[]): unknown[][] {
    const connection = (this.dataSource.driver as unknown as { databaseConnection?: Database }).databaseConnection;
    if (!connection || !connection.open) throw new Error('registry database is not connected');
    if (connection !== this.connection) {
      // A reconnected DataSource has a new handle; the old one's statements died with it.
      this.statements.clear();
      this.connection = connection;
    }
    let statement = this.statements.get(shape);
    if (statement === undefined) {
      statement = connection.prepare(this.sql(shape)).raw(true);
      this.statements.set(shape, statement);
      this.preparations++;
    }
    this.dataSource.logger.logQuery(statement.source, params);
    return statement.all(params) as unknown[][];
  }

  /** `b<n>`: candidates for n keys; `d<n>`: the deny-list for n keys; `l<n>/<m>`: both, n binding and m deny keys. */
  private sql(shape: string): string {
    const [bindingCount, denyCount] = shape.slice(1).split('/').map(Number);
    const candidates = (n: number, tag = '') =>
      `SELECT ${tag}${CANDIDATE_COLUMNS} FROM ${this.hydrator.bindingsTable} b INNER JOIN ${this.hydrator.accountsTable} a ON a."id" = b."account_id" ` +
      `WHERE (b."kind", b."value") IN (${pairs(n)})`;
    const denied = (n: number, columns: string) => `SELECT ${columns} FROM ${this.deniedTable} d WHERE (d."kind", d."value") IN (${pairs(n)})`;
    if (shape[0] === 'b') return candidates(bindingCount);
    if (shape[0] === 'd') return `${denied(bindingCount, '1')} LIMIT 1`;
    // A UNION ALL, not a join of the two answers: SQLite would materialize the candidates first.
    return `${denied(denyCount, `1, ${CANDIDATE_COLUMNS.replace(/[^,]+/g, 'NULL')}`)} UNION ALL ${candidates(bindingCount, '0, ')}`;
  }
}

/** `(?, ?), (?, ?), …` for `count` pairs. */
function pairs(count: number): string {
  return Array.from({ length: count }, () => '(?, ?)').join(', ');
}

/** `[kind0, value0, kind1, value1, …]`. */
function flatten(keys: readonly BindingKey[]): string[] {
  const params: string[] = [];
  for (const key of keys) params.push(key.kind, key.value);
  return params;
}
