import type { DataSource } from 'typeorm';
import { ClientCertError, ReplayStore } from '@client-cert-auth/core';

/** Tuning of `PostgresReplayStore`. */
export interface PostgresReplayStoreOptions {
  /** Schema of the registry tables. @default 'public' */
  readonly schema?: string;
  /**
   * Most unexpired nonces kept. Past it, new nonces are refused (503) until expired ones are
   * purged: the table never grows without bound, and a flood cannot push out live nonces.
   * @default 1000000
   */
  readonly maxEntries?: number;
  /** How often expired nonces are deleted (and the size checked), at most. @default 10000 */
  readonly purgeEveryMs?: number;
  /** Clock in ms; tests inject one. @default Date.now */
  readonly now?: () => number;
}

/**
 * The replay store shared by every instance on one PostgreSQL registry: a nonce is claimed by
 * one `INSERT … ON CONFLICT` (the primary key decides, atomically across instances), so instance
 * B refuses what instance A accepted. An expired row with the same nonce is taken over in the
 * same statement. Any database error refuses the request (`REPLAY_CHECK_UNAVAILABLE`, 503).
 */
export class PostgresReplayStore extends ReplayStore {
  private readonly table: string;
  private readonly maxEntries: number;
  private readonly purgeEveryMs: number;
  private readonly now: () => number;
  private nextPurge = 0;
  private purging?: Promise<void>;
  private full = false;

  constructor(
    private readonly dataSource: DataSource,
    options: PostgresReplayStoreOptions = {},
  ) {
    super();
    this.table = `"${options.schema ?? 'public'}"."cc_replay_nonces"`;
    this.maxEntries = options.maxEntries ?? 1_000_000;
    this.purgeEveryMs = options.purgeEveryMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  async claim(key: string, expiresAt: number): Promise<boolean> {
    const now = this.now();
    try {
      if (now >= this.nextPurge) await (this.purging ??= this.purge(now).finally(() => (this.purging = undefined)));
      if (this.full) {
        throw new ClientCertError('REPLAY_CHECK_UNAVAILABLE', `the shared replay store holds more than ${this.maxEntries} unexpired nonces`, {});
      }
      const rows: unknown[] = await this.dataSource.query(
        `INSERT INTO ${this.table} ("nonce", "expires_at") VALUES ($1, $2)
         ON CONFLICT ("nonce") DO UPDATE SET "expires_at" = EXCLUDED."expires_at" WHERE ${this.table}."expires_at" <= $3
         RETURNING "nonce"`,
        [key, expiresAt, now],
      );
      return rows.length === 1;
    } catch (error) {
      if (error instanceof ClientCertError) throw error;
      throw new ClientCertError('REPLAY_CHECK_UNAVAILABLE', 'the shared replay store (PostgreSQL) cannot be reached; retry later', {
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /** Drops expired nonces and rechecks the bound. */
  private async purge(now: number): Promise<void> {
    await this.dataSource.query(`DELETE FROM ${this.table} WHERE "expires_at" <= $1`, [now]);
    const [{ live }] = (await this.dataSource.query(`SELECT count(*)::int AS live FROM ${this.table}`)) as Array<{ live: number }>;
    this.full = live >= this.maxEntries;
    this.nextPurge = now + this.purgeEveryMs;
  }
}
