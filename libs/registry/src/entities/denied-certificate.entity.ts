import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** How a deny-list entry names a certificate. */
export type DenyKind = 'fingerprint' | 'issuer-serial';

/** A locally revoked certificate, checked in every revocation mode. */
@Entity({ name: 'cc_denied_certificates' })
@Index('cc_denied_kind_value_uq', ['kind', 'value'], { unique: true })
export class DeniedCertificateEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 32 })
  kind: DenyKind;

  /** Lowercase fingerprint hex, or `normalizedIssuerDn|serialhex`. */
  @Column({ type: 'varchar', length: 1024 })
  value: string;

  @Column({ type: 'varchar', length: 500, default: '' })
  reason: string;

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;
}
