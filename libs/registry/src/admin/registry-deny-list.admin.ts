import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { DeniedCertificateEntity } from '../entities/denied-certificate.entity';
import type { InvalidationBus, InvalidationEvent } from '../invalidation/invalidation.bus';
import { BindingValueError, issuerSerialKey, normalizeIssuerScope, normalizeSha256 } from '../normalize/binding-value.normalizer';
import { DnSyntaxError } from '../normalize/dn.normalizer';
import { readCertificate } from './certificate.input';
import { RegistryAdminError, isUniqueViolation } from './registry-admin.error';
import type { DeniedView, DenyTarget } from './registry-admin.types';
import { toDeniedView } from './registry-admin.views';

/**
 * The deny-list half of the admin service, and the write discipline both halves share:
 * transaction + invalidation published inside it + local delivery after commit.
 */
export abstract class RegistryDenyListAdmin {
  protected constructor(
    protected readonly dataSource: DataSource,
    protected readonly bus: InvalidationBus,
  ) {}

  /** Puts a certificate on the local deny-list (idempotent: denying twice keeps the first reason). */
  async deny(target: DenyTarget, reason = ''): Promise<DeniedView> {
    const { kind, value } = await this.denyKey(target);
    const entry = Object.assign(new DeniedCertificateEntity(), { id: randomUUID(), kind, value, reason, createdAt: new Date() });
    try {
      await this.write({ kind: 'deny', subject: value }, (m) => m.insert(DeniedCertificateEntity, entry));
      return toDeniedView(entry);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const existing = await this.dataSource.getRepository(DeniedCertificateEntity).findOneByOrFail({ kind, value });
      return toDeniedView(existing);
    }
  }

  /** Removes a deny-list entry; returns false when there was none. */
  async undeny(target: DenyTarget): Promise<boolean> {
    const key = await this.denyKey(target);
    const removed = await this.write({ kind: 'deny', subject: key.value }, async (m) => (await m.delete(DeniedCertificateEntity, key)).affected ?? 0);
    return removed > 0;
  }

  async listDenied(): Promise<DeniedView[]> {
    const rows = await this.dataSource.getRepository(DeniedCertificateEntity).find({ order: { createdAt: 'ASC' } });
    return rows.map(toDeniedView);
  }

  /** Runs `work` in a transaction that announces `event`, then invalidates this process. */
  protected async write<T>(event: InvalidationEvent, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.dataSource.transaction(async (manager) => {
      const value = await work(manager);
      await this.bus.publish(manager, event);
      return value;
    });
    this.bus.afterCommit(event);
    return result;
  }

  protected scope(issuer: string | undefined): string {
    return this.normalized(() => normalizeIssuerScope(issuer));
  }

  /** Turns a normalizer's syntax error into an INVALID admin error. */
  protected normalized<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (error instanceof BindingValueError || error instanceof DnSyntaxError) {
        throw new RegistryAdminError('INVALID', error.message);
      }
      throw error;
    }
  }

  private async denyKey(target: DenyTarget): Promise<{ kind: 'fingerprint' | 'issuer-serial'; value: string }> {
    if ('certificate' in target) {
      return { kind: 'fingerprint', value: (await readCertificate(target.certificate)).fingerprintSha256.toLowerCase() };
    }
    if ('fingerprint' in target) return { kind: 'fingerprint', value: this.normalized(() => normalizeSha256(target.fingerprint)) };
    return { kind: 'issuer-serial', value: this.normalized(() => issuerSerialKey(target.issuer, target.serial)) };
  }
}
