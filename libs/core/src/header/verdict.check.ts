import { ClientCertErrorCode } from '../errors/client-cert-error-code';
import { ClientCertError } from '../errors/client-cert.error';
import type { ProxyVerdictOptions } from '../options/proxy-profile.options';
import type { RawHeaderReader } from './raw-header.reader';

/** A verdict compiled at bootstrap: lower-case name and accepted values. */
export interface CompiledVerdict {
  readonly header: string;
  readonly accepted: ReadonlySet<string>;
  readonly allowAbsent: boolean;
}

export function compileVerdict(options: ProxyVerdictOptions): CompiledVerdict {
  const expected = Array.isArray(options.expect) ? options.expect : [options.expect];
  if (typeof options.header !== 'string' || expected.length === 0 || expected.some((v) => typeof v !== 'string')) {
    throw new Error(`Verdict ${JSON.stringify(options)} needs a header name and one or more expected string values`);
  }
  return {
    header: options.header.toLowerCase(),
    accepted: new Set(expected.map((v) => v.trim().toLowerCase())),
    allowAbsent: options.allowAbsent === true,
  };
}

/**
 * Requires every verdict header to carry an accepted value. Called only after a certificate was
 * found, so "no certificate" stays a 401; in addition to the module's validation, never instead.
 *
 * @throws ClientCertError PROXY_VERDICT_FAILED (absent or other value), HEADER_MALFORMED (sent twice)
 */
export function assertVerdicts(verdicts: readonly CompiledVerdict[], reader: RawHeaderReader): void {
  for (const verdict of verdicts) {
    const value = reader.single(verdict.header);
    if (value === undefined && verdict.allowAbsent) continue;
    if (value === undefined || !verdict.accepted.has(value.trim().toLowerCase())) {
      throw new ClientCertError(ClientCertErrorCode.PROXY_VERDICT_FAILED, `Proxy verdict header ${verdict.header} does not accept the certificate`, {
        header: verdict.header,
        // Verdict values are short enumerations or error strings; cap them for the log.
        value: value === undefined ? null : value.slice(0, 200),
      });
    }
  }
}
