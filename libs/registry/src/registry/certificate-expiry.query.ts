import type { DataSource } from 'typeorm';
import type { AccountCertificateExpiry } from '@client-cert-auth/core';
import { AccountEntity } from '../entities/account.entity';
import { BindingEntity } from '../entities/binding.entity';

/**
 * Per active account, the soonest `last_cert_not_after` of its bindings, soonest first, at most
 * `limit` rows: one grouped query over the indexed column, run at metrics scrape time.
 */
export async function soonestExpiriesPerAccount(dataSource: DataSource, limit: number): Promise<AccountCertificateExpiry[]> {
  const rows = await dataSource
    .createQueryBuilder()
    .select('a.name', 'account')
    .addSelect('MIN(b.lastCertNotAfter)', 'not_after')
    .from(BindingEntity, 'b')
    .innerJoin(AccountEntity, 'a', 'a.id = b.accountId')
    .where('b.lastCertNotAfter IS NOT NULL')
    .andWhere('a.status = :active', { active: 'active' })
    .groupBy('a.name')
    .orderBy('MIN(b.lastCertNotAfter)', 'ASC')
    .addOrderBy('a.name', 'ASC')
    .limit(Math.max(1, Math.floor(limit)))
    .getRawMany<{ account: string; not_after: Date | string }>();
  return rows.map((row) => ({ account: row.account, notAfter: storedDate(row.not_after) }));
}

/**
 * A raw datetime as the driver returns it: a `Date` from PostgreSQL, TypeORM's UTC text
 * (`YYYY-MM-DD HH:MM:SS.SSS`) from SQLite, where an aggregate bypasses entity hydration.
 */
function storedDate(value: Date | string): Date {
  if (value instanceof Date) return value;
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
}
