import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  CertificatePathValidator,
  ClientCertError,
  HEADER_FORMATS,
  parseCertificate,
  decodePemCertificates,
  type HeaderFormat,
  type ProxyProfileOptions,
} from '@client-cert-auth/core';
import { extractWithProfile } from '@client-cert-auth/core';
import { DEFAULT_HEADER_NAMES } from '@client-cert-auth/core';
import { getProxyPreset } from '@client-cert-auth/core';
import { createPrincipal } from '@client-cert-auth/core';
import { formatReport, type InspectReport } from './inspect.report';
import { UsageError, readStdin } from './cli.io';

interface InspectFlags {
  format: string;
  preset?: string;
  header: string[];
  value?: string;
  valueFile?: string;
  ca: string[];
  intermediate: string[];
  at?: string;
  json?: boolean;
}

/**
 * `client-cert-auth inspect`: runs a header value through the same extraction and validation
 * code as the guard and prints the verdict, so an operator can answer "why was this refused?".
 */
export function registerInspectCommand(program: Command, exit: (code: number) => void): void {
  program
    .command('inspect')
    .description('decode and validate a forwarded certificate header; exit 0 accepted, 1 rejected, 2 usage error')
    .option('--format <id>', `header format: ${HEADER_FORMATS.join(', ')}`, 'rfc9440')
    .option('--preset <name>', 'a proxy preset (fills format and header names)')
    .option('--header <line>', "a whole header line 'Name: value' (repeatable)", collect, [])
    .option('--value <value>', 'the certificate header value')
    .option('--value-file <file>', 'read the header value from a file')
    .option('--ca <file>', 'trust anchor PEM file (repeatable, required)', collect, [])
    .option('--intermediate <file>', 'intermediate CA PEM file (repeatable)', collect, [])
    .option('--at <iso-time>', 'validate at this time instead of now')
    .option('--json', 'print a JSON report')
    .action(async (flags: InspectFlags) => {
      const report = await inspect(flags);
      console.log(flags.json ? JSON.stringify(report, null, 2) : formatReport(report));
      exit(report.accepted ? 0 : 1);
    });
}

async function inspect(flags: InspectFlags): Promise<InspectReport> {
  if (flags.ca.length === 0) throw new UsageError('--ca FILE is required (the CA certificate(s) to validate against)');
  if (!flags.preset && !HEADER_FORMATS.includes(flags.format as HeaderFormat)) {
    throw new UsageError(`--format must be one of ${HEADER_FORMATS.join(', ')}`);
  }
  const at = flags.at ? new Date(flags.at) : new Date();
  if (Number.isNaN(at.getTime())) throw new UsageError(`--at ${flags.at} is not an ISO-8601 time`);
  const anchors = flags.ca.flatMap(readPemFile);
  const intermediates = flags.intermediate.flatMap(readPemFile);
  const profile = (
    flags.preset ? { name: 'inspect', from: [], preset: flags.preset } : { name: 'inspect', from: [], format: flags.format }
  ) as ProxyProfileOptions;
  const headers = await headerLines(flags, profile);

  let principal: InspectReport['principal'] = null;
  try {
    const extracted = extractWithProfile(profile, headers);
    const leaf = parseCertificate(extracted.certificate.leaf);
    const chain = extracted.certificate.chain.map((der: Buffer) => parseCertificate(der));
    principal = createPrincipal([leaf, ...chain], { profile: profile.name, format: extracted.format });
    const validator = new CertificatePathValidator({ anchors, intermediates });
    const result = validator.validate(leaf, chain, { at });
    if (!result.ok) return { accepted: false, code: result.code, reason: result.reason, principal };
    principal = createPrincipal(result.path, { profile: profile.name, format: extracted.format });
    return { accepted: true, code: 'OK', principal };
  } catch (error) {
    if (error instanceof ClientCertError) return { accepted: false, code: error.code, reason: error.message, principal };
    throw error;
  }
}

/** Either explicit `--header` lines, or the value placed under the format's certificate header. */
async function headerLines(flags: InspectFlags, profile: ProxyProfileOptions): Promise<Array<[string, string]>> {
  if (flags.header.length > 0) {
    return flags.header.map((line) => {
      const colon = line.indexOf(':');
      if (colon <= 0) throw new UsageError(`--header '${line}' is not 'Name: value'`);
      return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
    });
  }
  const value =
    flags.value ??
    (flags.valueFile ? readFileSync(flags.valueFile, 'utf8') : process.stdin.isTTY ? undefined : await readStdin());
  if (value === undefined) throw new UsageError('give the header value with --value, --value-file, stdin or --header');
  return [[certificateHeaderName(profile), value.replace(/\r?\n$/, '')]];
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
