import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { BINDING_KINDS, type BindingKind } from '@client-cert-auth/core';
import { isKeyScope, KEY_BOUND_KINDS } from '../normalize/binding-value.normalizer';
import { type CliIo, type CommonFlags, UsageError, isoDate, runAdmin, withCommonFlags } from './registry-cli.context';

interface BindFlags extends CommonFlags {
  account?: string;
  kind?: string;
  cert?: string;
  value?: string;
  issuer?: string;
  issuerSpki?: string;
  issuerCert?: string;
  notBefore?: string;
  notAfter?: string;
  id?: string;
}

/** `bind` and `unbind`: identity bindings between certificates and accounts. */
export function registerBindCommands(program: Command, io: CliIo): void {
  withCommonFlags(
    program
      .command('bind')
      .description(`Bind a certificate to an account. Kinds, strongest first: ${BINDING_KINDS.join(', ')}`)
      .requiredOption('--account <name>', 'account name')
      .requiredOption('--kind <kind>', 'binding kind')
      .option('--cert <file>', 'certificate (PEM or DER) to derive the value from')
      .option('--value <value>', 'raw value (issuer-serial: "ISSUER_DN|SERIAL_HEX")')
      .option('--issuer-spki <hex>', 'only when the issuing CA or the trust anchor has this key (SHA-256 of its SubjectPublicKeyInfo): the recommended scope')
      .option('--issuer-cert <file>', 'only when the issuing CA or the trust anchor has the key of this CA certificate (PEM or DER)')
      .option('--issuer <scope>', 'only when issued under spki:<hex>, sha256:<hex> of a CA certificate in the path, or an issuer DN (a name any CA can copy)')
      .option('--not-before <iso>', 'binding valid from (rotation window)')
      .option('--not-after <iso>', 'binding valid until (rotation window)'),
  ).action((flags: BindFlags) =>
    runAdmin(
      io,
      flags,
      async (admin) => {
        const source = valueSource(flags);
        const bound = await admin.bind({
          account: flags.account!,
          kind: kind(flags.kind),
          ...source,
          issuer: flags.issuer,
          issuerSpki: flags.issuerSpki,
          issuerCertificate: flags.issuerCert !== undefined ? readFile(flags.issuerCert) : undefined,
          notBefore: isoDate('--not-before', flags.notBefore),
          notAfter: isoDate('--not-after', flags.notAfter),
        });
        if (!KEY_BOUND_KINDS.includes(bound.kind) && !isKeyScope(bound.issuerScope)) {
          io.err(
            `warning: this ${bound.kind} binding is ${bound.issuerScope ? 'scoped by issuer name only' : 'not scoped to an issuer'}: any trusted CA (or an intermediate copying the name) ` +
              'can issue a certificate that matches it. Scope it to the CA key with --issuer-spki or --issuer-cert (or bind --cert with a file holding the leaf and its issuing CA).',
          );
        }
        return bound;
      },
      (b) => `bound ${b.kind} ${b.value} -> ${b.account}  (${b.id})`,
    ),
  );

  withCommonFlags(
    program
      .command('unbind')
      .description('Remove a binding, by --id or by --kind with --cert/--value')
      .option('--id <id>', 'binding id (from accounts list)')
      .option('--kind <kind>', 'binding kind')
      .option('--cert <file>', 'certificate (PEM or DER)')
      .option('--value <value>', 'raw value')
      .option('--issuer <scope>', 'issuer scope of the binding (spki:<hex>, sha256:<hex> or an issuer DN)')
      .option('--account <name>', 'only the binding of this account'),
  ).action((flags: BindFlags) =>
    runAdmin(
      io,
      flags,
      async (admin) => {
        const removed = flags.id
          ? await admin.unbind({ id: flags.id })
          : await admin.unbind({ kind: kind(flags.kind), ...valueSource(flags), issuer: flags.issuer, account: flags.account });
        return { removed };
      },
      (r) => `removed ${r.removed} binding(s)`,
    ),
  );
}

function kind(value: string | undefined): BindingKind {
  if (!value || !(BINDING_KINDS as readonly string[]).includes(value)) {
    throw new UsageError(`--kind must be one of ${BINDING_KINDS.join(', ')}`);
  }
  return value as BindingKind;
}

/** Exactly one of --cert / --value. */
export function valueSource(flags: { cert?: string; value?: string }): { value?: string; certificate?: Buffer } {
  if ((flags.cert === undefined) === (flags.value === undefined)) throw new UsageError('give exactly one of --cert FILE or --value V');
  return flags.cert !== undefined ? { certificate: readFile(flags.cert) } : { value: flags.value };
}

export function readFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
