import type { Command } from 'commander';
import { DEFAULT_DATABASE_URL, parseDatabaseUrl } from '../database/registry-database.options';
import type { RegistryAdminService } from '../admin/registry-admin.service';
import { RegistryAdminError } from '../admin/registry-admin.error';
import { createRegistry } from '../factory/create-registry';

/** Where CLI output goes; tests pass buffers. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  /** Records a failing exit code (the CLI entry returns it). */
  fail(code: number): void;
}

/** The flags every registry command takes. */
export interface CommonFlags {
  database?: string;
  json?: boolean;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  fail: (code) => (process.exitCode = code),
};

/** Adds `--database` and `--json` to a command. */
export function withCommonFlags(command: Command): Command {
  return command
    .option('--database <url>', 'sqlite:PATH or postgres://… (default: $CLIENT_CERT_DATABASE_URL, else sqlite:./data/registry.sqlite)')
    .option('--json', 'machine-readable output');
}

/**
 * Runs one admin action against the database named by the flags and prints its result.
 * Exit codes follow the CLI's convention: 0 done, 1 refused (not found, conflict, failure),
 * 2 usage error (invalid value, bad flags).
 */
export async function runAdmin<T>(
  io: CliIo,
  flags: CommonFlags,
  action: (admin: RegistryAdminService) => Promise<T>,
  human: (result: T) => string,
  migrationsRun = true,
): Promise<void> {
  let handle: Awaited<ReturnType<typeof createRegistry>> | undefined;
  try {
    const url = flags.database ?? io.env.CLIENT_CERT_DATABASE_URL ?? DEFAULT_DATABASE_URL;
    handle = await createRegistry({ database: parseDatabaseUrl(url), listen: false, migrationsRun, lastSeenFlushSeconds: 0, logger: quietLogger(io) });
    const result = await action(handle.admin);
    io.out(flags.json ? JSON.stringify(result ?? null, null, 2) : human(result));
  } catch (error) {
    reportFailure(io, flags, error);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Prints a failure as `runAdmin` does (JSON under `--json`) and sets the exit code: 2 usage, 1 otherwise. */
export function reportFailure(io: CliIo, flags: CommonFlags, error: unknown): void {
  const reason = error instanceof RegistryAdminError ? error.reason : 'FAILED';
  const message = (error as Error).message;
  io.err(flags.json ? JSON.stringify({ error: { reason, message } }) : `client-cert-auth: ${message}`);
  io.fail(reason === 'INVALID' ? 2 : 1);
}

/** A wrong combination of flags. */
export class UsageError extends RegistryAdminError {
  constructor(message: string) {
    super('INVALID', message);
  }
}

/** Parses an ISO-8601 flag value. */
export function isoDate(flag: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new UsageError(`${flag} "${value}" is not an ISO-8601 date`);
  return date;
}

function quietLogger(io: CliIo) {
  return { log: () => undefined, warn: (m: string) => io.err(`warning: ${m}`), error: (m: string) => io.err(m) };
}
