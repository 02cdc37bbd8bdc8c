import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { BindingKind } from '@client-cert-auth/core';
import { AccountEntity } from './account.entity';

/**
 * One identity binding: `(kind, value)` maps a certificate to an account, optionally only when
 * the certificate was issued under `issuerScope` and only inside `[notBefore, notAfter)`.
 */
@Entity({ name: 'cc_bindings' })
@Index('cc_bindings_kind_value_scope_uq', ['kind', 'value', 'issuerScope'], { unique: true })
export class BindingEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Index('cc_bindings_account_idx')
  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId: string;

  @ManyToOne(() => AccountEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id' })
  account: AccountEntity;

  @Column({ type: 'varchar', length: 32 })
  kind: BindingKind;

  /** Normalized (see normalize/binding-value.normalizer.ts). */
  @Column({ type: 'varchar', length: 1024 })
  value: string;

  /** '' = any issuer (not NULL, so the unique index treats "unscoped" as one value). */
  @Column({ name: 'issuer_scope', type: 'varchar', length: 1024, default: '' })
  issuerScope: string;

  @Column({ name: 'not_before', type: Date, nullable: true })
  notBefore: Date | null;

  @Column({ name: 'not_after', type: Date, nullable: true })
  notAfter: Date | null;

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;

  /** notAfter of the certificate last seen under this binding; written in batches by the last-seen recorder. */
  @Column({ name: 'last_cert_not_after', type: Date, nullable: true })
  lastCertNotAfter: Date | null;

  /** SHA-256 (lowercase hex) of that certificate. */
  @Column({ name: 'last_cert_fingerprint', type: 'varchar', length: 64, nullable: true })
  lastCertFingerprint: string | null;
}
