import type { Command } from 'commander';
import type { DenyTarget } from '../admin/registry-admin.types';
import { type CliIo, type CommonFlags, UsageError, runAdmin, withCommonFlags } from './registry-cli.context';
import { readFile } from './bind.command';

interface DenyFlags extends CommonFlags {
  cert?: string;
  fingerprint?: string;
  issuer?: string;
  serial?: string;
  reason?: string;
}

/** `deny`, `undeny`, `denied`: the local deny-list, checked in every revocation mode. */
export function registerDenyCommands(program: Command, io: CliIo): void {
  const selectors = (command: Command) =>
    withCommonFlags(command)
      .option('--cert <file>', 'certificate (PEM or DER)')
      .option('--fingerprint <hex>', 'SHA-256 fingerprint of the certificate')
      .option('--issuer <dn>', 'issuer DN (with --serial)')
      .option('--serial <hex>', 'serial number in hex (with --issuer)');

  selectors(program.command('deny').description('Refuse a certificate everywhere (403 CERT_REVOKED)'))
    .option('--reason <text>', 'why (kept in the deny-list)', '')
    .action((flags: DenyFlags) =>
      runAdmin(
        io,
        flags,
        (admin) => admin.deny(target(flags), flags.reason),
        (d) => `denied ${d.kind} ${d.value}`,
      ),
    );

  selectors(program.command('undeny').description('Remove a certificate from the deny-list')).action((flags: DenyFlags) =>
    runAdmin(
      io,
      flags,
      async (admin) => ({ removed: await admin.undeny(target(flags)) }),
      (r) => (r.removed ? 'removed' : 'was not denied'),
    ),
  );

  withCommonFlags(program.command('denied').description('List the deny-list')).action((flags: CommonFlags) =>
    runAdmin(
      io,
      flags,
      (admin) => admin.listDenied(),
      (list) => (list.length === 0 ? '(deny-list empty)' : list.map((d) => `${d.kind} ${d.value}${d.reason ? `  reason=${d.reason}` : ''}`).join('\n')),
    ),
  );
}

function target(flags: DenyFlags): DenyTarget {
  const given = [flags.cert !== undefined, flags.fingerprint !== undefined, flags.issuer !== undefined || flags.serial !== undefined];
  if (given.filter(Boolean).length !== 1) throw new UsageError('give exactly one of --cert, --fingerprint, or --issuer with --serial');
  if (flags.cert !== undefined) return { certificate: readFile(flags.cert) };
  if (flags.fingerprint !== undefined) return { fingerprint: flags.fingerprint };
  if (!flags.issuer || !flags.serial) throw new UsageError('--issuer and --serial go together');
  return { issuer: flags.issuer, serial: flags.serial };
}
