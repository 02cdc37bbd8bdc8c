import {
  CertificatePathValidator,
  ClientCertError,
  RevocationChecker,
  assertClaimsMatch,
  assertRoles,
  createPrincipal,
  enforceRevocationVerdict,
  extractWithProfile,
  parseCertificate,
  type ClientCertPrincipal,
  type ParsedCertificate,
  type ProxyProfileOptions,
  type RevocationMode,
} from '@client-cert-auth/core';
import { createRegistry, explainRegistryMatch, parseDatabaseUrl, type RegistryHandle } from '@client-cert-auth/registry';
import type { InspectRegistryReport, InspectReport, InspectStep, InspectStepName } from './inspect.report';

/** Everything one inspection needs, already read from the flags. */
export interface InspectRequest {
  readonly profile: ProxyProfileOptions;
  /** What the profile reads the leaf from, for the hint when the input names another header. */
  readonly certificateHeader: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly anchors: ParsedCertificate[];
  readonly intermediates: ParsedCertificate[];
  readonly at: Date;
  readonly revocation: { readonly mode: RevocationMode; readonly crlFiles: readonly string[] };
  /** `sqlite:PATH` or `postgres://…`; without it the registry step is skipped, and said to be. */
  readonly database?: string;
  readonly requiredRoles: readonly string[];
}

const NO_DATABASE = "not checked: give --database URL (the server's CLIENT_CERT_DATABASE_URL) to match the certificate to an account";

/**
 * The guard's steps, in the guard's order, with the guard's building blocks: the profile's
 * extraction, RFC 5280 validation, the claims check, revocation, the deny-list, the registry's
 * own `resolve`, the account status and the roles. Each step is reported; the first refusal
 * decides the code, as it does on the server.
 */
export async function runInspection(request: InspectRequest): Promise<InspectReport> {
  const steps: InspectStep[] = [];
  const step = (name: InspectStepName, status: InspectStep['status'], detail: string) => steps.push({ step: name, status, detail });
  let principal: ClientCertPrincipal | null = null;
  let registry: InspectRegistryReport = { checked: false, reason: NO_DATABASE };
  const { profile } = request;
  step(
    'profile',
    'ok',
    `${profile.preset ? `preset ${profile.preset}` : `format ${profile.format}`}; reads ${request.certificateHeader} (source address, shared secret and HMAC are not checked here)`,
  );

  let current: InspectStepName = 'extraction';
  try {
    const extracted = extractWithProfile(profile, request.headers);
    step('extraction', 'ok', `${extracted.format}: leaf + ${extracted.certificate.chain.length} chain certificate(s)`);

    current = 'validation';
    const leaf = parseCertificate(extracted.certificate.leaf);
    const chain = extracted.certificate.chain.map((der: Buffer) => parseCertificate(der));
    principal = createPrincipal([leaf, ...chain], { profile: 'inspect', format: extracted.format });
    const validator = new CertificatePathValidator({ anchors: request.anchors, intermediates: request.intermediates });
    const result = validator.validate(leaf, chain, { at: request.at });
    if (!result.ok) throw new ClientCertError(result.code, result.reason);
    principal = createPrincipal(result.path, { profile: 'inspect', format: extracted.format });
    assertClaimsMatch(extracted.certificate, result.path[0]);
    step('validation', 'ok', `path of ${result.path.length} to ${result.path[result.path.length - 1].subject.rfc4514}, at ${request.at.toISOString()}`);

    current = 'revocation';
    await checkRevocation(request, result.path, step);

    current = 'registry';
    if (request.database === undefined) {
      step('registry', 'skipped', NO_DATABASE);
      step('roles', 'skipped', 'not checked without the registry');
    } else {
      await checkRegistry(request.database, principal, request, {
        step,
        enter: (next) => (current = next),
        report: (next) => (registry = next),
      });
    }
  } catch (error) {
    if (!(error instanceof ClientCertError)) throw error;
    step(current, 'refused', `${error.code}: ${error.message}`);
    return { verdict: 'REJECTED', accepted: false, code: error.code, reason: error.message, hint: hintFor(error, request), principal, steps, registry };
  }
  const accepted = registry.checked;
  return { verdict: accepted ? 'ACCEPTED' : 'VALID', accepted, code: 'OK', principal, steps, registry };
}

async function checkRevocation(
  request: InspectRequest,
  path: readonly ParsedCertificate[],
  step: (n: InspectStepName, s: InspectStep['status'], d: string) => void,
) {
  const { mode, crlFiles } = request.revocation;
  if (mode === 'off') {
    step('revocation', 'skipped', "not checked (--revocation off; the server's default is soft-fail): give --revocation soft-fail|hard-fail [--crl FILE]");
    return;
  }
  const checker = new RevocationChecker({ mode, ...(crlFiles.length > 0 ? { crl: { files: [...crlFiles] } } : {}) });
  try {
    await checker.start();
    const verdict = await checker.check(path, request.at);
    enforceRevocationVerdict(verdict);
    step('revocation', 'ok', `${verdict.status} (${verdict.source}${verdict.reason ? `: ${verdict.reason}` : ''}), mode ${mode}`);
  } finally {
    checker.stop();
  }
}

/** What the registry step tells the pipeline as it goes: the report so far, and which step runs. */
interface RegistryStepSink {
  step(name: InspectStepName, status: InspectStep['status'], detail: string): void;
  enter(name: InspectStepName): void;
  report(registry: InspectRegistryReport): void;
}

/** Deny-list, `resolve`, status and roles through the registry the server uses (read only). */
async function checkRegistry(url: string, principal: ClientCertPrincipal, request: InspectRequest, sink: RegistryStepSink): Promise<void> {
  let handle: RegistryHandle;
  try {
    handle = await createRegistry({
      database: parseDatabaseUrl(url),
      listen: false,
      migrationsRun: false,
      lastSeenFlushSeconds: 0,
      clock: () => request.at,
      logger: { log: () => undefined, warn: (m: string) => process.stderr.write(`warning: ${m}\n`), error: (m: string) => process.stderr.write(`${m}\n`) },
    });
  } catch (error) {
    throw new ClientCertError('REGISTRY_UNAVAILABLE', `cannot open ${url}: ${(error as Error).message}`);
  }
  try {
    const denied = await handle.registry.isDenied(principal);
    sink.report({ checked: true, denied, match: null, candidates: [] });
    if (denied) throw new ClientCertError('CERT_REVOKED', 'certificate is on the local deny-list');
    const match = await handle.registry.resolve(principal);
    if (!match) {
      const { keys, candidates } = await explainRegistryMatch(handle.dataSource, principal, request.at);
      sink.report({ checked: true, denied, match: null, candidates });
      const kinds = [...new Set(keys.map((k) => k.kind))].join(', ');
      throw new ClientCertError('IDENTITY_UNKNOWN', `no account is bound to this certificate (looked up by ${kinds}; ${candidates.length} near binding(s))`);
    }
    sink.report({ checked: true, denied, match: { account: match.account, binding: match.binding }, candidates: [] });
    if (match.account.status !== 'active') throw new ClientCertError('ACCOUNT_DISABLED', `account ${match.account.name} is disabled`);
    sink.step('registry', 'ok', `account ${match.account.name} by ${match.binding.kind} ${match.binding.value}`);
    sink.enter('roles');
    assertRoles(match.account, request.requiredRoles);
    const required = request.requiredRoles.length > 0 ? `, holds ${request.requiredRoles.join(', ')}` : ' (no --require-roles given)';
    sink.step('roles', 'ok', `[${match.account.roles.join(', ')}]${required}`);
  } finally {
    // Inspect only reads: the database is closed before the registry would write last-seen.
    if (handle.dataSource.isInitialized) await handle.dataSource.destroy().catch(() => undefined);
    await handle.close().catch(() => undefined);
  }
}

function hintFor(error: ClientCertError, request: InspectRequest): string | undefined {
  if (error.code !== 'CERT_MISSING') return undefined;
  const wanted = request.certificateHeader.toLowerCase();
  const given = request.headers.map(([name]) => name);
  if (given.some((name) => name.toLowerCase() === wanted)) return undefined;
  return `the profile reads ${request.certificateHeader}; the input has ${given.join(', ') || 'no header'} (use --format/--preset for that header, or rename it)`;
}
