import { randomUUID } from 'node:crypto';
import { type DataSource, type EntityManager, LessThanOrEqual } from 'typeorm';
import { BINDING_KINDS } from '@client-cert-auth/core';
import { migrateRegistry } from '../database/registry-data-source.open';
import { AccountEntity } from '../entities/account.entity';
import { BindingEntity } from '../entities/binding.entity';
import type { InvalidationBus } from '../invalidation/invalidation.bus';
import { normalizeBindingValue, spkiScope } from '../normalize/binding-value.normalizer';
import { bindingValueFromCertificate, issuerKeyOf, readCertificate, readCertificates } from './certificate.input';
import { RegistryAdminError, isUniqueViolation } from './registry-admin.error';
import type { AccountView, BindInput, BindingView, UnbindInput } from './registry-admin.types';
import { toAccountView, toBindingView } from './registry-admin.views';
import { RegistryDenyListAdmin } from './registry-deny-list.admin';

/**
 * Every registry write, shared by the CLI and applications. Each write runs in one transaction
 * that also publishes an invalidation (NOTIFY on PostgreSQL, delivered at commit), then clears
 * the caches of this process, so a cut-off client is refused everywhere within a second.
 */
export class RegistryAdminService extends RegistryDenyListAdmin {
  constructor(dataSource: DataSource, bus: InvalidationBus) {
    super(dataSource, bus);
  }

  /** Runs pending migrations; returns the names of those applied. */
  async migrate(): Promise<string[]> {
    return migrateRegistry(this.dataSource);
  }

  async addAccount(input: { name: string; roles?: readonly string[]; status?: 'active' | 'disabled' }): Promise<AccountView> {
    const name = input.name.trim();
    if (name === '') throw new RegistryAdminError('INVALID', 'an account needs a non-empty name');
    const now = new Date();
    const account = Object.assign(new AccountEntity(), {
      id: randomUUID(),
      name,
      status: input.status ?? 'active',
      roles: cleanRoles(input.roles ?? []),
      createdAt: now,
      updatedAt: now,
      lastSeenAt: null,
    });
    try {
      await this.write({ kind: 'account', subject: name }, (m) => m.insert(AccountEntity, account));
    } catch (error) {
      if (isUniqueViolation(error)) throw new RegistryAdminError('CONFLICT', `account "${name}" already exists`);
      throw error;
    }
    return toAccountView(account);
  }

  /** All accounts by name, each with its bindings. */
  async listAccounts(): Promise<AccountView[]> {
    const accounts = await this.dataSource.getRepository(AccountEntity).find({ order: { name: 'ASC' } });
    const bindings = await this.dataSource.getRepository(BindingEntity).find({ order: { kind: 'ASC', value: 'ASC' } });
    const byName = new Map(accounts.map((a) => [a.id, a.name]));
    return accounts.map((a) =>
      toAccountView(
        a,
        bindings.filter((b) => b.accountId === a.id).map((b) => toBindingView(b, byName.get(b.accountId)!)),
      ),
    );
  }

  /**
   * Accounts with a binding whose last-seen certificate expires at or before `until` (already
   * expired ones included), each with only those bindings; soonest first, by account and within
   * it. Bindings no certificate has been seen under since this release are not listed.
   * @example admin.listExpiring(new Date(Date.now() + 30 * 86_400_000))
   */
  async listExpiring(until: Date): Promise<AccountView[]> {
    const bindings = await this.dataSource.getRepository(BindingEntity).find({
      where: { lastCertNotAfter: LessThanOrEqual(until) },
      relations: { account: true },
      order: { lastCertNotAfter: 'ASC', id: 'ASC' },
    });
    const byAccount = new Map<string, { account: AccountEntity; bindings: BindingView[] }>();
    for (const b of bindings) {
      const entry = byAccount.get(b.accountId) ?? byAccount.set(b.accountId, { account: b.account, bindings: [] }).get(b.accountId)!;
      entry.bindings.push(toBindingView(b, b.account.name));
    }
    // Map order is first appearance: accounts come in the order of their soonest binding.
    return [...byAccount.values()].map(({ account, bindings: views }) => toAccountView(account, views));
  }

  async getAccount(name: string): Promise<AccountView> {
    return (await this.listAccounts()).find((a) => a.name === name) ?? notFound(name);
  }

  disable(name: string): Promise<AccountView> {
    return this.updateAccount(name, { status: 'disabled' });
  }

  enable(name: string): Promise<AccountView> {
    return this.updateAccount(name, { status: 'active' });
  }

  setRoles(name: string, roles: readonly string[]): Promise<AccountView> {
    return this.updateAccount(name, { roles: cleanRoles(roles) });
  }

  /** Deletes an account and (by cascade) its bindings. */
  async removeAccount(name: string): Promise<void> {
    await this.write({ kind: 'account', subject: name }, async (m) => {
      const account = await this.account(m, name);
      await m.delete(BindingEntity, { accountId: account.id });
      await m.delete(AccountEntity, { id: account.id });
    });
  }

  /**
   * Binds a raw value or a certificate (PEM/DER) to an account under a rule kind. The scope is
   * the CA key given (`issuerSpki`, `issuerCertificate`), else the text scope `issuer`, else, for
   * a certificate file that also holds the leaf's issuer, that issuer's key.
   */
  async bind(input: BindInput): Promise<BindingView> {
    const value = await this.bindingValue(input.kind, input.value, input.certificate);
    const issuerScope = await this.bindScope(input);
    if (input.notBefore && input.notAfter && input.notBefore >= input.notAfter) {
      throw new RegistryAdminError('INVALID', 'not-before must be earlier than not-after');
    }
    try {
      return await this.write({ kind: 'binding', subject: input.account }, async (m) => {
        const account = await this.account(m, input.account);
        const binding = Object.assign(new BindingEntity(), {
          id: randomUUID(),
          accountId: account.id,
          kind: input.kind,
          value,
          issuerScope,
          notBefore: input.notBefore ?? null,
          notAfter: input.notAfter ?? null,
          createdAt: new Date(),
          lastCertNotAfter: null,
          lastCertFingerprint: null,
        });
        await m.insert(BindingEntity, binding);
        return toBindingView(binding, account.name);
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new RegistryAdminError('CONFLICT', `a ${input.kind} binding "${value}"${issuerScope ? ` scoped to ${issuerScope}` : ''} already exists`);
      }
      throw error;
    }
  }

  /** Removes bindings by id, or by kind + value (+ scope, + account); returns how many. */
  async unbind(input: UnbindInput): Promise<number> {
    const where: Record<string, string> = {};
    if ('id' in input) {
      where.id = input.id;
    } else {
      where.kind = input.kind;
      where.value = await this.bindingValue(input.kind, input.value, input.certificate);
      if (input.issuer !== undefined) where.issuerScope = this.scope(input.issuer);
    }
    const removed = await this.write({ kind: 'binding' }, async (m) => {
      if (!('id' in input) && input.account) where.accountId = (await this.account(m, input.account)).id;
      return (await m.delete(BindingEntity, where)).affected ?? 0;
    });
    if (removed === 0) throw new RegistryAdminError('NOT_FOUND', 'no binding matches');
    return removed;
  }

  private async updateAccount(name: string, patch: Partial<Pick<AccountEntity, 'status' | 'roles'>>): Promise<AccountView> {
    return this.write({ kind: 'account', subject: name }, async (m) => {
      const account = await this.account(m, name);
      Object.assign(account, patch, { updatedAt: new Date() });
      await m.update(AccountEntity, { id: account.id }, { ...patch, updatedAt: account.updatedAt });
      return toAccountView(account);
    });
  }

  private async bindScope(input: BindInput): Promise<string> {
    const given = [input.issuer, input.issuerSpki, input.issuerCertificate].filter((s) => s !== undefined);
    if (given.length > 1) throw new RegistryAdminError('INVALID', 'give at most one of an issuer scope, an issuer SPKI hash or an issuer certificate');
    if (input.issuerSpki !== undefined) return this.normalized(() => spkiScope(input.issuerSpki!));
    if (input.issuerCertificate !== undefined) {
      const [ca] = await readCertificates(input.issuerCertificate);
      if (ca.basicConstraints?.ca !== true) throw new RegistryAdminError('INVALID', `the issuer certificate (${ca.subject.rfc4514}) is not a CA certificate`);
      return spkiScope(ca.publicKey.sha256);
    }
    if (input.issuer !== undefined) return this.scope(input.issuer);
    const implied = input.certificate ? issuerKeyOf(await readCertificates(input.certificate)) : undefined;
    return implied ? spkiScope(implied) : '';
  }

  private async account(m: EntityManager, name: string): Promise<AccountEntity> {
    return (await m.findOne(AccountEntity, { where: { name } })) ?? notFound(name);
  }

  private async bindingValue(kind: BindInput['kind'], value: string | undefined, certificate: Buffer | undefined): Promise<string> {
    if (!BINDING_KINDS.includes(kind)) {
      throw new RegistryAdminError('INVALID', `unknown binding kind "${kind}": use one of ${BINDING_KINDS.join(', ')}`);
    }
    if ((value === undefined) === (certificate === undefined)) {
      throw new RegistryAdminError('INVALID', 'give exactly one of a value or a certificate');
    }
    if (certificate) return bindingValueFromCertificate(kind, await readCertificate(certificate));
    return this.normalized(() => normalizeBindingValue(kind, value!));
  }
}

function cleanRoles(roles: readonly string[]): string[] {
  return [...new Set(roles.map((r) => r.trim()).filter((r) => r !== ''))].sort();
}

function notFound(name: string): never {
  throw new RegistryAdminError('NOT_FOUND', `no account named "${name}"`);
}
