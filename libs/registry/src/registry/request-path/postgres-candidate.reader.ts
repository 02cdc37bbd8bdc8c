import { createHash } from 'node:crypto';
import type { Pool, QueryArrayConfig } from 'pg';
import type { DataSource } from 'typeorm';
import { DeniedCertificateEntity } from '../../entities/denied-certificate.entity';
import type { BindingKey } from '../../normalize/principal.keys';
import type { CandidateLookup, CandidateReader, CandidateRow } from '../candidate.reader';
import { CANDIDATE_COLUMNS, CandidateRowHydrator, qualifiedName } from './candidate-row.hydrator';

/**
 * The request path on pg: named prepared statements sent through the DataSource's own pool
 * (its timeouts, its size), one round trip per lookup. Every key list is passed as two text
 * arrays joined through `unnest`, so ONE statement text serves any number of keys: pg parses it
 * once per pooled connection and from then on only binds and executes (Parse, Bind and Execute
 * travel in one write even the first time). `lookup` returns the deny-list answer and the
 * binding candidates of a certificate in a single statement.
 */
export class PostgresCandidateReader implements CandidateReader {
  private readonly hydrator: CandidateRowHydrator;
  private readonly bindingsStatement: Statement;
  private readonly deniedStatement: Statement;
  private readonly lookupStatement: Statement;

  constructor(private readonly dataSource: DataSource) {
    this.hydrator = new CandidateRowHydrator(dataSource);
    const denied = qualifiedName(dataSource, dataSource.getMetadata(DeniedCertificateEntity).tablePath);
    const candidates = (kinds: string, values: string) =>
      `SELECT ${CANDIDATE_COLUMNS} FROM unnest(${kinds}::text[], ${values}::text[]) AS k("kind", "value") ` +
      `INNER JOIN ${this.hydrator.bindingsTable} b ON b."kind" = k."kind" AND b."value" = k."value" ` +
      `INNER JOIN ${this.hydrator.accountsTable} a ON a."id" = b."account_id"`;
    const isDenied = (kinds: string, values: string) =>
      `EXISTS (SELECT 1 FROM unnest(${kinds}::text[], ${values}::text[]) AS k("kind", "value") ` +
      `INNER JOIN ${denied} d ON d."kind" = k."kind" AND d."value" = k."value")`;
    this.bindingsStatement = statement('bindings', candidates('$1', '$2'));
    this.deniedStatement = statement('denied', `SELECT ${isDenied('$1', '$2')}`);
    // One row even when nothing is bound: the deny answer, then the candidate columns (NULL when none).
    this.lookupStatement = statement(
      'lookup',
      `SELECT dl."denied", c.* FROM (SELECT ${isDenied('$3', '$4')} AS "denied") dl LEFT JOIN (${candidates('$1', '$2')}) c ON true`,
    );
  }

  async bindings(keys: readonly BindingKey[]): Promise<CandidateRow[]> {
    if (keys.length === 0) return [];
    const rows = await this.run(this.bindingsStatement, columns(keys));
    return rows.map((raw) => this.hydrator.row(raw));
  }

  async denied(keys: readonly BindingKey[]): Promise<boolean> {
    if (keys.length === 0) return false;
    const rows = await this.run(this.deniedStatement, columns(keys));
    return rows[0]?.[0] === true;
  }

  readonly lookup = async (bindingKeys: readonly BindingKey[], denyKeys: readonly BindingKey[]): Promise<CandidateLookup> => {
    const rows = await this.run(this.lookupStatement, [...columns(bindingKeys), ...columns(denyKeys)]);
    return {
      denied: rows[0]?.[0] === true,
      rows: rows.filter((raw) => raw[1] !== null).map((raw) => this.hydrator.row(raw.slice(1))),
    };
  };

  private async run(statement: Statement, values: unknown[]): Promise<unknown[][]> {
    const pool = (this.dataSource.driver as unknown as { master?: Pool }).master;
    if (!pool) throw new Error('registry database is not connected');
    this.dataSource.logger.logQuery(statement.text, values);
    const config: QueryArrayConfig = { name: statement.name, text: statement.text, values, rowMode: 'array' };
    return (await pool.query(config)).rows as unknown[][];
  }
}

interface Statement {
  readonly name: string;
  readonly text: string;
}

/**
 * A prepared statement's name is per connection and must always stand for the same text: the
 * text's hash in the name keeps two registries (two schemas) on one server from colliding.
 */
function statement(purpose: string, text: string): Statement {
  return { name: `cc_registry_${purpose}_${createHash('sha256').update(text).digest('hex').slice(0, 12)}`, text };
}

/** `[kinds[], values[]]`: the two arrays `unnest` zips back into pairs. */
function columns(keys: readonly BindingKey[]): [string[], string[]] {
  return [keys.map((k) => k.kind), keys.map((k) => k.value)];
}
