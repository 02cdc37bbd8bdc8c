import { Command, CommanderError } from 'commander';
import { registerRegistryCommands } from '@client-cert-auth/registry';
import { registerInspectCommand } from './inspect.command';
import { UsageError } from './cli.io';

/**
 * `client-cert-auth`: the operator's tool. Exit codes: 0 success / accepted, 1 rejected,
 * 2 usage error (wrong flags, unreadable files).
 */
export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command('client-cert-auth')
    .description('Inspect forwarded client certificates and manage the account registry')
    .exitOverride()
    .showHelpAfterError();
  registerInspectCommand(program, (code) => (exitCode = code));
  registerRegistryCommands(program);
  try {
    await program.parseAsync(argv);
    return exitCode || Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    console.error(`client-cert-auth: ${(error as Error).message}`);
    return error instanceof UsageError ? 2 : 1;
  }
}
