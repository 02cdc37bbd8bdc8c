import type { MigrationInterface, QueryRunner } from 'typeorm';
import { issuerSerialKey } from '../normalize/binding-value.normalizer';
import { normalizeDn } from '../normalize/dn.normalizer';

/**
 * Issue 13, finding 4: DN comparison keys no longer fold look-alikes (NFKC, Unicode case
 * folding, whitespace collapsing). Keys are stored normalized (subject bindings, the DN half of
 * issuer-serial bindings and deny-list entries, DN issuer scopes), so each is recomputed here.
 *
 * What this does to existing data: every key the old normalizer wrote was already NFKC, lower
 * case and single-spaced, and such a string is a fixed point of the new normalizer, so in
 * practice no row changes. What changes is what a stored key matches: only names that ARE
 * that string (ASCII case aside), no longer names that fold onto it. A binding typed with
 * full-width letters, compatibility characters, double spaces or non-ASCII capitals keeps its
 * folded key and now fails closed (IDENTITY_UNKNOWN) for the certificate it was meant for:
 * re-create it from the certificate (`bind --cert`). A row the stricter parser refuses is left
 * as it is; it can never match (no principal produces it).
 *
 * Runs the normalizer of this release on purpose: a key must be what `normalizeDn` computes
 * for the principal today.
 */
export class RecomputeDnKeys1765000000001 implements MigrationInterface {
  readonly name = 'RecomputeDnKeys1765000000001';

  async up(runner: QueryRunner): Promise<void> {
    const pg = runner.connection.driver.options.type === 'postgres';
    const p = (n: number) => (pg ? `$${n}` : '?');
    const bindings = qualified(runner, 'cc_bindings');
    const denied = qualified(runner, 'cc_denied_certificates');

    const rows = (await runner.query(`SELECT "id", "kind", "value", "issuer_scope" FROM ${bindings}`)) as Array<{
      id: string;
      kind: string;
      value: string;
      issuer_scope: string;
    }>;
    for (const row of rows) {
      const value =
        row.kind === 'subject' ? recompute(row.value, normalizeDn) : row.kind === 'issuer-serial' ? recompute(row.value, reKeyIssuerSerial) : row.value;
      const scope = row.issuer_scope === '' || /^(sha256|spki):/.test(row.issuer_scope) ? row.issuer_scope : recompute(row.issuer_scope, normalizeDn);
      if (value === row.value && scope === row.issuer_scope) continue;
      await runner.query(`UPDATE ${bindings} SET "value" = ${p(1)}, "issuer_scope" = ${p(2)} WHERE "id" = ${p(3)}`, [value, scope, row.id]);
    }
    const entries = (await runner.query(`SELECT "id", "value" FROM ${denied} WHERE "kind" = 'issuer-serial'`)) as Array<{ id: string; value: string }>;
    for (const entry of entries) {
      const value = recompute(entry.value, reKeyIssuerSerial);
      if (value !== entry.value) await runner.query(`UPDATE ${denied} SET "value" = ${p(1)} WHERE "id" = ${p(2)}`, [value, entry.id]);
    }
  }

  async down(): Promise<void> {
    // The old keys were a lossy folding of the names; they cannot be recomputed from the new ones.
  }
}

function reKeyIssuerSerial(value: string): string {
  const bar = value.lastIndexOf('|');
  if (bar < 0) throw new Error('not an issuer-serial key');
  return issuerSerialKey(value.slice(0, bar), value.slice(bar + 1));
}

function recompute(value: string, normalize: (value: string) => string): string {
  try {
    return normalize(value);
  } catch {
    return value;
  }
}

/** `"schema"."table"` on PostgreSQL when a schema is configured, else `"table"`. */
function qualified(runner: QueryRunner, table: string): string {
  const options = runner.connection.driver.options as { type: string; schema?: string };
  return options.type === 'postgres' && options.schema ? `"${options.schema}"."${table}"` : `"${table}"`;
}
