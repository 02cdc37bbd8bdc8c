import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  DEFAULT_HEADER_NAMES,
  HEADER_FORMATS,
  PROXY_PRESET_NAMES,
  decodePemCertificates,
  getProxyPreset,
  parseCertificate,
  type HeaderFormat,
  type ProxyProfileOptions,
  type RevocationMode,
} from '@client-cert-auth/core';
import { parseDatabaseUrl } from '@client-cert-auth/registry';
import { UsageError } from './cli.io';
import { readHeaderLines } from './inspect.input';
import { runInspection } from './inspect.pipeline';
import { formatReport } from './inspect.report';

interface InspectFlags {
  format: string;
  preset?: string;
  header: string[];
  value?: string;
  valueFile?: string;
  ca: string[];
  intermediate: string[];
  at?: string;
  revocation: string;
  crl: string[];
  database?: string;
  requireRoles?: string;
  json?: boolean;
}

const REVOCATION_MODES: readonly RevocationMode[] = ['off', 'soft-fail', 'hard-fail'];

/**
 * `client-cert-auth inspect`: runs a forwarded certificate header through the guard's steps
 * (extraction, validation, revocation, registry, roles) and prints each step and the verdict, so
 * an operator can answer "why was this refused?" with the answer the server gives.
 */
export function registerInspectCommand(program: Command, exit: (code: number) => void): void {
  program
    .command('inspect')
    .description("run a forwarded certificate header through the guard's steps; exit 0 ACCEPTED (or VALID: no --database), 1 REJECTED, 2 usage error")
    .option('--format <id>', `header format: ${HEADER_FORMATS.join(', ')}`, 'rfc9440')
    .option('--preset <name>', `a proxy preset (fills format and header names): ${PROXY_PRESET_NAMES.join(', ')}`)
    .option('--header <line>', "a whole header line 'Name: value' (repeatable)", collect, [])
    .option('--value <value>', "the certificate header value, or a whole 'Name: value' line")
    .option('--value-file <file>', "read the value, or 'Name: value' lines (data/dev-pki/*.header), from a file")
    .option('--ca <file>', 'trust anchor PEM file (repeatable, required)', collect, [])
    .option('--intermediate <file>', 'intermediate CA PEM file (repeatable)', collect, [])
    .option('--at <iso-time>', 'validate (and match rotation windows) at this time instead of now')
    .option('--revocation <mode>', `revocation mode: ${REVOCATION_MODES.join(', ')}`, 'off')
    .option('--crl <file>', 'CRL file (PEM or DER) for --revocation (repeatable)', collect, [])
    .option('--database <url>', 'the registry to match against: sqlite:PATH or postgres://… (without it the registry step is skipped)')
    .option('--require-roles <roles>', 'comma-separated roles the route requires (@RequireClientRoles)')
    .option('--json', 'print a JSON report')
    .action(async (flags: InspectFlags) => {
      const report = await runInspection(await requestFrom(flags));
      console.log(flags.json ? JSON.stringify(report, null, 2) : formatReport(report));
      exit(report.verdict === 'REJECTED' ? 1 : 0);
    });
}

async function requestFrom(flags: InspectFlags) {
  if (flags.ca.length === 0) throw new UsageError('--ca FILE is required (the CA certificate(s) to validate against)');
  if (flags.preset !== undefined && !(PROXY_PRESET_NAMES as readonly string[]).includes(flags.preset)) {
    throw new UsageError(`--preset must be one of ${PROXY_PRESET_NAMES.join(', ')}`);
  }
  if (!flags.preset && !HEADER_FORMATS.includes(flags.format as HeaderFormat)) {
    throw new UsageError(`--format must be one of ${HEADER_FORMATS.join(', ')}`);
  }
  if (!REVOCATION_MODES.includes(flags.revocation as RevocationMode)) {
    throw new UsageError(`--revocation must be one of ${REVOCATION_MODES.join(', ')}`);
  }
  if (flags.database !== undefined) assertDatabaseExists(flags.database);
  const at = flags.at ? new Date(flags.at) : new Date();
  if (Number.isNaN(at.getTime())) throw new UsageError(`--at ${flags.at} is not an ISO-8601 time`);
  const profile = (
    flags.preset ? { name: 'inspect', from: [], preset: flags.preset } : { name: 'inspect', from: [], format: flags.format }
  ) as ProxyProfileOptions;
  const certificateHeader = certificateHeaderName(profile);
  return {
    profile,
    certificateHeader,
    headers: await readHeaderLines(flags, certificateHeader),
    anchors: flags.ca.flatMap(readPemFile),
    intermediates: flags.intermediate.flatMap(readPemFile),
    at,
    revocation: { mode: flags.revocation as RevocationMode, crlFiles: flags.crl },
    database: flags.database,
    requiredRoles: (flags.requireRoles ?? '')
      .split(',')
      .map((r) => r.trim())
      .filter((r) => r !== ''),
  };
}

/** Inspect only reads: a mistyped SQLite path must not quietly become a new, empty registry. */
function assertDatabaseExists(url: string): void {
  let database;
  try {
    database = parseDatabaseUrl(url);
  } catch (error) {
    throw new UsageError(`--database: ${(error as Error).message}`);
  }
  if (database.type === 'sqlite' && database.path !== ':memory:' && !existsSync(database.path)) {
    throw new UsageError(`--database ${url}: no such SQLite file (give the server's CLIENT_CERT_DATABASE_URL)`);
  }
}

/** The name the profile reads the leaf from: a rename, else the preset's, else the format's. */
function certificateHeaderName(profile: ProxyProfileOptions): string {
  const preset = profile.preset ? getProxyPreset(profile.preset) : undefined;
  return profile.headers?.cert ?? preset?.headers.cert ?? DEFAULT_HEADER_NAMES[profile.format ?? 'rfc9440'].cert;
}

function readPemFile(file: string) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const ders = decodePemCertificates(text);
  if (ders.length === 0) throw new UsageError(`${file} holds no PEM certificate`);
  return ders.map((der) => parseCertificate(der));
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
