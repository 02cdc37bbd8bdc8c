import type { ProxyHeaderNames, ProxyProfileOptions } from '../options/proxy-profile.options';
import { createParser, DEFAULT_HEADER_NAMES } from './formats/parser.factory';
import type { CertificateHeaderNames, CertificateHeaderParser } from './formats/certificate-header.parser';
import { HEADER_FORMATS, type HeaderFormat } from './header-format';
import { DEFAULT_HEADER_LIMITS, type HeaderLimitValues } from './header.limits';
import { getProxyPreset } from './presets/preset.registry';
import { compileVerdict, type CompiledVerdict } from './verdict.check';

/** The header half of a profile: everything needed to read a certificate, no source check. */
export type HeaderProfileOptions = Pick<ProxyProfileOptions, 'format' | 'preset' | 'headers' | 'verdicts' | 'xfccElementFromEnd' | 'limits'> & {
  name?: string;
};

/** A header profile resolved and validated at bootstrap. */
export interface CompiledHeaderProfile {
  readonly name: string;
  readonly format: HeaderFormat;
  readonly parser: CertificateHeaderParser;
  readonly fingerprintHeader?: string;
  readonly serialHeader?: string;
  readonly verdicts: readonly CompiledVerdict[];
  /** Every header name this profile reads (lower-case), to find `_` variants. */
  readonly watchedNames: readonly string[];
  /** Prefix of numbered chain headers (`<prefix>0`, `<prefix>1`, ...), lower-case, when the format reads them. */
  readonly chainPrefix?: string;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function headerName(value: string | undefined, field: string, profile: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !TOKEN.test(value)) {
    throw new Error(`Proxy profile "${profile}": headers.${field} ${JSON.stringify(value)} is not a valid HTTP header name`);
  }
  return value.toLowerCase();
}

function positiveInteger(value: number | undefined, fallback: number, field: string, profile: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new Error(`Proxy profile "${profile}": ${field} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Resolves preset + format + renames + limits into a parser. Throws an Error that says how to fix
 * a bad option; it never runs per request.
 */
export function compileHeaderProfile(options: HeaderProfileOptions, globalLimits: Partial<HeaderLimitValues> = {}): CompiledHeaderProfile {
  const name = options.name ?? options.preset ?? options.format ?? 'inspect';
  const preset = options.preset !== undefined ? getProxyPreset(options.preset) : undefined;
  const format = options.format ?? preset?.format;
  if (format === undefined || !HEADER_FORMATS.includes(format)) {
    throw new Error(`Proxy profile "${name}": set "format" to one of ${HEADER_FORMATS.join(', ')} or choose a "preset"`);
  }
  if (preset && options.format !== undefined && options.format !== preset.format) {
    throw new Error(`Proxy profile "${name}": preset "${preset.name}" sends "${preset.format}", not "${options.format}"; remove "format" or the preset`);
  }
  const merged: ProxyHeaderNames = { ...DEFAULT_HEADER_NAMES[format], ...preset?.headers, ...options.headers };
  const cert = headerName(merged.cert, 'cert', name);
  if (cert === undefined) throw new Error(`Proxy profile "${name}": headers.cert must name the certificate header`);
  const names: CertificateHeaderNames = {
    cert,
    chain: headerName(merged.chain, 'chain', name),
    chainPrefix: headerName(merged.chainPrefix, 'chainPrefix', name),
    present: headerName(merged.present, 'present', name),
  };
  const limits: HeaderLimitValues = {
    maxHeaderBytes: positiveInteger(
      options.limits?.maxHeaderBytes ?? globalLimits.maxHeaderBytes,
      DEFAULT_HEADER_LIMITS.maxHeaderBytes,
      'limits.maxHeaderBytes',
      name,
    ),
    maxCertificates: positiveInteger(
      options.limits?.maxCertificates ?? globalLimits.maxCertificates,
      DEFAULT_HEADER_LIMITS.maxCertificates,
      'limits.maxCertificates',
      name,
    ),
  };
  const xfccElementFromEnd = positiveInteger(options.xfccElementFromEnd, 1, 'xfccElementFromEnd', name);
  const parser = createParser(format, { names, limits, xfccElementFromEnd, certHeaderHoldsChain: preset?.certHeaderHoldsChain === true });
  const verdicts = (options.verdicts ?? preset?.verdicts ?? []).map(compileVerdict);
  const fingerprintHeader = headerName(merged.fingerprint, 'fingerprint', name);
  const serialHeader = headerName(merged.serial, 'serial', name);
  const watched = [...parser.headerNames, names.present, fingerprintHeader, serialHeader, ...verdicts.map((v) => v.header)];
  return Object.freeze({
    name,
    format,
    parser,
    fingerprintHeader,
    serialHeader,
    verdicts,
    watchedNames: [...new Set(watched.filter((n): n is string => n !== undefined))],
    chainPrefix: names.chainPrefix,
  });
}
