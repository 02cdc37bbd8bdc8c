import type { BindingKind } from '@client-cert-auth/core';
import type { DataSource } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { AccountEntity, type AccountStatus } from '../../entities/account.entity';
import { BindingEntity } from '../../entities/binding.entity';
import type { CandidateRow } from '../candidate.reader';

/**
 * The columns the raw readers select, in this order (rows are read as arrays). Names are fixed
 * by the migrations; the table names come from the entity metadata (schema included).
 */
export const CANDIDATE_COLUMNS = `b."id", b."kind", b."value", b."issuer_scope", b."not_before", b."not_after", a."id", a."name", a."status", a."roles"`;

/**
 * Turns raw driver rows into candidate rows exactly as TypeORM would: dates and the JSON roles
 * column go through the driver's own `prepareHydratedValue`, so a raw reader and the query
 * builder give equal rows (the differential test in request-path.spec.ts compares them).
 */
export class CandidateRowHydrator {
  readonly bindingsTable: string;
  readonly accountsTable: string;
  private readonly notBefore: ColumnMetadata;
  private readonly notAfter: ColumnMetadata;
  private readonly roles: ColumnMetadata;

  constructor(private readonly dataSource: DataSource) {
    const bindings = dataSource.getMetadata(BindingEntity);
    const accounts = dataSource.getMetadata(AccountEntity);
    this.bindingsTable = qualifiedName(dataSource, bindings.tablePath);
    this.accountsTable = qualifiedName(dataSource, accounts.tablePath);
    this.notBefore = bindings.findColumnWithPropertyName('notBefore')!;
    this.notAfter = bindings.findColumnWithPropertyName('notAfter')!;
    this.roles = accounts.findColumnWithPropertyName('roles')!;
  }

  row(raw: readonly unknown[]): CandidateRow {
    return {
      id: raw[0] as string,
      kind: raw[1] as BindingKind,
      value: raw[2] as string,
      issuerScope: raw[3] as string,
      notBefore: this.date(raw[4], this.notBefore),
      notAfter: this.date(raw[5], this.notAfter),
      account: {
        id: raw[6] as string,
        name: raw[7] as string,
        status: raw[8] as AccountStatus,
        roles: this.dataSource.driver.prepareHydratedValue(raw[9], this.roles) as string[],
      },
    };
  }

  private date(value: unknown, column: ColumnMetadata): Date | null {
    return value === null || value === undefined ? null : (this.dataSource.driver.prepareHydratedValue(value, column) as Date);
  }
}

/** `schema.table` → `"schema"."table"`, quoted by the driver. */
export function qualifiedName(dataSource: DataSource, tablePath: string): string {
  return tablePath
    .split('.')
    .map((part) => dataSource.driver.escape(part))
    .join('.');
}
