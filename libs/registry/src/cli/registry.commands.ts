import type { Command } from 'commander';
import { registerAccountsCommand } from './accounts.command';
import { registerBindCommands } from './bind.command';
import { registerDenyCommands } from './deny.command';
import { type CliIo, type CommonFlags, processIo, runAdmin, withCommonFlags } from './registry-cli.context';

/**
 * Adds the registry's admin commands to the `client-cert-auth` CLI: `accounts …`, `bind`,
 * `unbind`, `deny`, `undeny`, `denied`, `migrate`. Every command takes `--database URL` and
 * `--json`. Failures print a message and set the exit code through `io.fail` (1 refused, 2 usage).
 * @example registerRegistryCommands(new Command('client-cert-auth'))
 */
export function registerRegistryCommands(program: Command, io: CliIo = processIo): Command {
  registerAccountsCommand(program, io);
  registerBindCommands(program, io);
  registerDenyCommands(program, io);
  withCommonFlags(program.command('migrate').description('Create or upgrade the registry tables')).action((flags: CommonFlags) =>
    runAdmin(
      io,
      flags,
      async (admin) => ({ applied: await admin.migrate() }),
      (r) => (r.applied.length === 0 ? 'registry schema is up to date' : `applied ${r.applied.join(', ')}`),
      false,
    ),
  );
  return program;
}
