import type { Database, Statement } from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { DeniedCertificateEntity } from '../../entities/denied-certificate.entity';
import type { BindingKey } from '../../normalize/principal.keys';
import type { CandidateLookup, CandidateReader, CandidateRow } from '../candidate.reader';
import { CANDIDATE_COLUMNS, CandidateRowHydrator, qualifiedName } from './candidate-row.hydrator';

/**
 * Statement sizes, in keys: a lookup's keys are padded (with a repeated key, harmless in an
 * `IN` list) to the next size, so a handful of statements serve every certificate; more keys
 * than the largest size are read in chunks of it.
 */
const SIZES = [4, 8, 16, 32] as const;
const DENY_KEYS = 2;

interface Prepared {
  readonly connection: Database;
  readonly bindings: ReadonlyMap<number, Statement>;
  readonly denied: Statement;
}

/**
 * The request path on better-sqlite3: statements prepared once per connection (at bootstrap,
 * again only if the DataSource reconnects), executed synchronously per lookup: no query
 * builder, no entity metadata walk, no query runner. Statements are still reported to the
 * DataSource's logger, so `logging` and the query-count tests see them as before.
 */
export class SqliteCandidateReader implements CandidateReader {
  private readonly hydrator: CandidateRowHydrator;
  private readonly bindingsSql: ReadonlyMap<number, string>;
  private readonly deniedSql: string;
  private prepared?: Prepared;
  /** How many times statements were prepared (once per connection; tests read it). */
  preparations = 0;

  constructor(private readonly dataSource: DataSource) {
    this.hydrator = new CandidateRowHydrator(dataSource);
    const denied = qualifiedName(dataSource, dataSource.getMetadata(DeniedCertificateEntity).tablePath);
    this.bindingsSql = new Map(
      SIZES.map((size) => [
        size,
        `SELECT ${CANDIDATE_COLUMNS} FROM ${this.hydrator.bindingsTable} b INNER JOIN ${this.hydrator.accountsTable} a ON a."id" = b."account_id" ` +
          `WHERE (b."kind", b."value") IN (${pairs(size)})`,
      ]),
    );
    this.deniedSql = `SELECT 1 FROM ${denied} d WHERE (d."kind", d."value") IN (${pairs(DENY_KEYS)}) LIMIT 1`;
    if (dataSource.isInitialized) this.statements();
  }

  async bindings(keys: readonly BindingKey[]): Promise<CandidateRow[]> {
    return this.readBindings(keys);
  }

  async denied(keys: readonly BindingKey[]): Promise<boolean> {
    return this.readDenied(keys);
  }

  /** Both statements in one synchronous step (in-process: there is no round trip to save, only hops). */
  readonly lookup = async (bindingKeys: readonly BindingKey[], denyKeys: readonly BindingKey[]): Promise<CandidateLookup> => ({
    denied: this.readDenied(denyKeys),
    rows: this.readBindings(bindingKeys),
  });

  private readBindings(keys: readonly BindingKey[]): CandidateRow[] {
    if (keys.length === 0) return [];
    const { bindings } = this.statements();
    const largest = SIZES[SIZES.length - 1];
    const rows: CandidateRow[] = [];
    const seen = new Set<string>();
    for (let start = 0; start < keys.length; start += largest) {
      const chunk = keys.slice(start, start + largest);
      const size = SIZES.find((s) => s >= chunk.length)!;
      const params = flatten(chunk, size);
      this.dataSource.logger.logQuery(this.bindingsSql.get(size)!, params);
      for (const raw of bindings.get(size)!.all(params) as unknown[][]) {
        // Padding repeats a key, and chunks never share one, but a row is kept once regardless.
        if (seen.has(raw[0] as string)) continue;
        seen.add(raw[0] as string);
        rows.push(this.hydrator.row(raw));
      }
    }
    return rows;
  }

  private readDenied(keys: readonly BindingKey[]): boolean {
    if (keys.length === 0) return false;
    const { denied } = this.statements();
    for (let start = 0; start < keys.length; start += DENY_KEYS) {
      const params = flatten(keys.slice(start, start + DENY_KEYS), DENY_KEYS);
      this.dataSource.logger.logQuery(this.deniedSql, params);
      if (denied.get(params) !== undefined) return true;
    }
    return false;
  }

  /** The statements of the current connection; prepared again after a reconnect (the old handle is closed). */
  private statements(): Prepared {
    const connection = (this.dataSource.driver as unknown as { databaseConnection?: Database }).databaseConnection;
    if (!connection || !connection.open) throw new Error('registry database is not connected');
    if (this.prepared?.connection === connection) return this.prepared;
    this.preparations++;
    const bindings = new Map([...this.bindingsSql].map(([size, sql]) => [size, connection.prepare(sql).raw(true)]));
    this.prepared = { connection, bindings, denied: connection.prepare(this.deniedSql).raw(true) };
    return this.prepared;
  }
}

/** `(?, ?), (?, ?), …` for `count` pairs. */
function pairs(count: number): string {
  return Array.from({ length: count }, () => '(?, ?)').join(', ');
}

/** `[kind0, value0, kind1, value1, …]` padded to `size` pairs by repeating the last key. */
function flatten(keys: readonly BindingKey[], size: number): string[] {
  const params: string[] = [];
  for (let i = 0; i < size; i++) {
    const key = keys[Math.min(i, keys.length - 1)];
    params.push(key.kind, key.value);
  }
  return params;
}
