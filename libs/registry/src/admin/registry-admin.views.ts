import type { AccountEntity } from '../entities/account.entity';
import type { BindingEntity } from '../entities/binding.entity';
import type { DeniedCertificateEntity } from '../entities/denied-certificate.entity';
import type { AccountView, BindingView, DeniedView } from './registry-admin.types';

/** Plain JSON-safe views of the entities, so callers (CLI `--json`, apps) never hold ORM objects. */
export function toAccountView(a: AccountEntity, bindings?: BindingView[]): AccountView {
  return {
    id: a.id,
    name: a.name,
    status: a.status,
    roles: [...(a.roles ?? [])],
    createdAt: iso(a.createdAt)!,
    updatedAt: iso(a.updatedAt)!,
    lastSeenAt: iso(a.lastSeenAt),
    ...(bindings ? { bindings } : {}),
  };
}

export function toBindingView(b: BindingEntity, account: string): BindingView {
  return {
    id: b.id,
    account,
    kind: b.kind,
    value: b.value,
    issuerScope: b.issuerScope,
    notBefore: iso(b.notBefore),
    notAfter: iso(b.notAfter),
    createdAt: iso(b.createdAt)!,
    lastCertificate: b.lastCertNotAfter && b.lastCertFingerprint ? { fingerprintSha256: b.lastCertFingerprint, notAfter: iso(b.lastCertNotAfter)! } : null,
  };
}

export function toDeniedView(d: DeniedCertificateEntity): DeniedView {
  return { id: d.id, kind: d.kind, value: d.value, reason: d.reason, createdAt: iso(d.createdAt)! };
}

function iso(date: Date | null | undefined): string | null {
  return date ? new Date(date).toISOString() : null;
}
