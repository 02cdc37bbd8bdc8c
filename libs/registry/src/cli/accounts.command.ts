import type { Command } from 'commander';
import type { AccountView } from '../admin/registry-admin.types';
import { parseDuration } from './duration.parser';
import { describeExpiring } from './expiring.format';
import { type CliIo, type CommonFlags, reportFailure, runAdmin, withCommonFlags } from './registry-cli.context';

/** `accounts add|list [--expiring 30d]|disable|enable|roles|remove`. */
export function registerAccountsCommand(program: Command, io: CliIo): void {
  const accounts = program.command('accounts').description('Manage client accounts of the registry');

  withCommonFlags(accounts.command('add <name>').description('Create an account'))
    .option('--roles <roles>', 'comma-separated roles', '')
    .option('--disabled', 'create it disabled')
    .action((name: string, flags: CommonFlags & { roles: string; disabled?: boolean }) =>
      runAdmin(io, flags, (a) => a.addAccount({ name, roles: splitRoles(flags.roles), status: flags.disabled ? 'disabled' : 'active' }), describe),
    );

  withCommonFlags(accounts.command('list').description('List accounts with their bindings'))
    .option('--expiring <duration>', 'only bindings whose last-seen certificate expires within this window (30d, 12h, 2w), soonest first')
    .action((flags: CommonFlags & { expiring?: string }) => {
      if (flags.expiring === undefined) {
        return runAdmin(
          io,
          flags,
          (a) => a.listAccounts(),
          (list) => (list.length === 0 ? '(no accounts)' : list.map(describeWithBindings).join('\n')),
        );
      }
      let windowMs: number;
      try {
        // Before opening the database: a typo must not create an empty SQLite file.
        windowMs = parseDuration('--expiring', flags.expiring);
      } catch (error) {
        return reportFailure(io, flags, error);
      }
      const window = flags.expiring;
      return runAdmin(
        io,
        flags,
        (a) => a.listExpiring(new Date(Date.now() + windowMs)),
        (list) => describeExpiring(list, window),
      );
    });

  withCommonFlags(accounts.command('disable <name>').description('Refuse the account (403 ACCOUNT_DISABLED) everywhere')).action(
    (name: string, flags: CommonFlags) => runAdmin(io, flags, (a) => a.disable(name), describe),
  );

  withCommonFlags(accounts.command('enable <name>').description('Re-enable a disabled account')).action((name: string, flags: CommonFlags) =>
    runAdmin(io, flags, (a) => a.enable(name), describe),
  );

  withCommonFlags(accounts.command('roles <name> [roles...]').description('Replace the roles of an account (none = no roles)')).action(
    (name: string, roles: string[], flags: CommonFlags) => runAdmin(io, flags, (a) => a.setRoles(name, roles.flatMap(splitRoles)), describe),
  );

  withCommonFlags(accounts.command('remove <name>').description('Delete an account and its bindings')).action((name: string, flags: CommonFlags) =>
    runAdmin(
      io,
      flags,
      async (a) => (await a.removeAccount(name), { removed: name }),
      () => `removed ${name}`,
    ),
  );
}

function splitRoles(text: string): string[] {
  return text
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
}

function describe(a: AccountView): string {
  return `${a.name}  ${a.status}  roles=[${a.roles.join(',')}]  id=${a.id}${a.lastSeenAt ? `  last-seen=${a.lastSeenAt}` : ''}`;
}

function describeWithBindings(a: AccountView): string {
  const lines = (a.bindings ?? []).map(
    (b) =>
      `    ${b.kind} ${b.value}${b.issuerScope ? ` issuer=${b.issuerScope}` : ''}` +
      `${b.notBefore ? ` from=${b.notBefore}` : ''}${b.notAfter ? ` until=${b.notAfter}` : ''}` +
      `${b.lastCertificate ? ` last-cert-expires=${b.lastCertificate.notAfter}` : ''}  (${b.id})`,
  );
  return [describe(a), ...lines].join('\n');
}
