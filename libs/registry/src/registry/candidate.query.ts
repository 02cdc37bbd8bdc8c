import type { DataSource } from 'typeorm';
import { BindingEntity } from '../entities/binding.entity';
import { DeniedCertificateEntity } from '../entities/denied-certificate.entity';
import type { BindingKey } from '../normalize/principal.keys';
import type { CandidateReader } from './candidate.reader';

/**
 * The registry's read statements through the TypeORM query builder: the request path on drivers
 * without a raw reader (request-path/), and the admin side everywhere. Each is a single indexed
 * lookup over all keys at once: `(kind, value) IN ((…), (…))` is served by the unique
 * `(kind, value, …)` index on both SQLite and PostgreSQL (see the plan test in candidate.query.spec.ts).
 */
const MATCH_COLUMNS = ['b.id', 'b.accountId', 'b.kind', 'b.value', 'b.issuerScope', 'b.notBefore', 'b.notAfter', 'b.createdAt'];

export class CandidateQuery implements CandidateReader {
  private reconnecting?: Promise<void>;
  private lastReconnect = 0;

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Every binding whose `(kind, value)` is among `keys`, with its account: one query. Only the
   * columns matching needs: the last-seen certificate columns stay out of the hot path, so a
   * release whose migration has not run yet (`migrationsRun: false`) still authenticates.
   */
  async bindings(keys: readonly BindingKey[]): Promise<BindingEntity[]> {
    if (keys.length === 0) return [];
    const { clause, params } = keyClause('b', keys);
    return this.dataSource
      .getRepository(BindingEntity)
      .createQueryBuilder('b')
      .select(MATCH_COLUMNS)
      .innerJoinAndSelect('b.account', 'a')
      .where(clause, params)
      .getMany();
  }

  /** True when any of `keys` is on the deny-list: one query. */
  async denied(keys: readonly BindingKey[]): Promise<boolean> {
    if (keys.length === 0) return false;
    const { clause, params } = keyClause('d', keys);
    const row = await this.dataSource
      .getRepository(DeniedCertificateEntity)
      .createQueryBuilder('d')
      .select('d.id', 'id')
      .where(clause, params)
      .limit(1)
      .getRawOne();
    return row !== undefined;
  }

  /** Name-based bindings (every kind but the key-bound ones) by how they are scoped: for the start-up checks. */
  async scopeSummary(keyBoundKinds: readonly string[]): Promise<{ unscoped: number; scopedByName: number }> {
    const row = (await this.dataSource
      .getRepository(BindingEntity)
      .createQueryBuilder('b')
      .select(`SUM(CASE WHEN b.issuerScope = '' THEN 1 ELSE 0 END)`, 'unscoped')
      .addSelect(`SUM(CASE WHEN b.issuerScope <> '' AND b.issuerScope NOT LIKE 'spki:%' AND b.issuerScope NOT LIKE 'sha256:%' THEN 1 ELSE 0 END)`, 'byName')
      .where('b.kind NOT IN (:...keyBound)', { keyBound: [...keyBoundKinds] })
      .getRawOne()) as { unscoped: string | number | null; byName: string | number | null } | undefined;
    return { unscoped: Number(row?.unscoped ?? 0), scopedByName: Number(row?.byName ?? 0) };
  }

  /**
   * Re-opens a DataSource that was closed under us (e.g. SQLite handle lost), at most once per
   * second; PostgreSQL pools reconnect by themselves, so this is a no-op there.
   */
  async ensureConnected(): Promise<void> {
    if (this.dataSource.isInitialized) return;
    if (!this.reconnecting) {
      if (Date.now() - this.lastReconnect < 1000) throw new Error('registry database is not connected');
      this.lastReconnect = Date.now();
      this.reconnecting = this.dataSource
        .initialize()
        .then(() => undefined)
        .finally(() => (this.reconnecting = undefined));
    }
    await this.reconnecting;
  }
}

/** `(alias.kind = :k0 AND alias.value = :v0) OR …`, parameters bound (never interpolated). */
function keyClause(alias: string, keys: readonly BindingKey[]): { clause: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const rows = keys.map((key, i) => {
    params[`k${i}`] = key.kind;
    params[`v${i}`] = key.value;
    return `(:k${i}, :v${i})`;
  });
  return { clause: `(${alias}.kind, ${alias}.value) IN (${rows.join(', ')})`, params };
}
