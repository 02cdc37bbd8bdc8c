import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Account status as stored; the port exposes the same union. */
export type AccountStatus = 'active' | 'disabled';

/**
 * An API client account. Table and column names are prefixed `cc_` so the registry can share a
 * database with the application's own tables.
 */
@Entity({ name: 'cc_accounts' })
export class AccountEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Index('cc_accounts_name_uq', { unique: true })
  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status: AccountStatus;

  /** JSON array text: portable across SQLite and PostgreSQL, and roles are only read whole. */
  @Column({ type: 'simple-json' })
  roles: string[];

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt: Date;

  /** Written in batches by the last-seen recorder, never per request. */
  @Column({ name: 'last_seen_at', type: Date, nullable: true })
  lastSeenAt: Date | null;
}
