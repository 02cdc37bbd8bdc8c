import { Command, CommanderError } from 'commander';
import { UsageError } from './cli.io';
import { COMMAND_SUMMARIES, type CommandFamily } from './command.summaries';

/**
 * `client-cert-auth`: the operator's tool. Exit codes: 0 success / accepted, 1 rejected,
 * 2 usage error (wrong flags, unreadable files).
 *
 * Only the command that runs is loaded: `--help`, `--version` and a usage error need neither the
 * validator nor TypeORM, which together take most of a second to load.
 */
export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command('client-cert-auth')
    .description('Inspect forwarded client certificates and manage the account registry')
    .version(cliVersion(), '-V, --version')
    .exitOverride()
    .showHelpAfterError();
  try {
    // `help CMD` shows the full definition of CMD, so it loads CMD's module too.
    const family = familyOf(argv[2] === 'help' ? argv[3] : argv[2]);
    if (family === 'inspect') {
      const { registerInspectCommand } = require('./inspect.command') as typeof import('./inspect.command');
      registerInspectCommand(program, (code) => (exitCode = code));
    } else if (family === 'registry') {
      const { registerRegistryCommands } = require('@client-cert-auth/registry') as typeof import('@client-cert-auth/registry');
      registerRegistryCommands(program);
    } else {
      for (const [name, summary] of Object.entries(COMMAND_SUMMARIES)) program.command(name).description(summary.description);
    }
    await program.parseAsync(argv);
    return exitCode || Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    console.error(`client-cert-auth: ${(error as Error).message}`);
    return error instanceof UsageError ? 2 : 1;
  }
}

function familyOf(command: string | undefined): CommandFamily | undefined {
  return command !== undefined && Object.hasOwn(COMMAND_SUMMARIES, command) ? COMMAND_SUMMARIES[command].family : undefined;
}

function cliVersion(): string {
  // The package's own manifest, one folder up from both src/ and dist/.
  return (require('../package.json') as { version: string }).version;
}
