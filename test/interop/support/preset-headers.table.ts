import { PROXY_PRESETS, type ProxyPreset } from '@client-cert-auth/core';
import { compileHeaderProfile } from '../../../libs/core/src/header/header-profile.compiler';
import { DEFAULT_HEADER_LIMITS } from '../../../libs/core/src/header/header.limits';

/** Every header a preset reads, in the preset's spelling: certificate, chain, numbered chain, companions, verdicts. */
export function presetHeaderNames(preset: ProxyPreset): string[] {
  const { cert, chain, chainPrefix, present, fingerprint, serial } = preset.headers;
  const numbered = chainPrefix ? Array.from({ length: DEFAULT_HEADER_LIMITS.maxCertificates }, (_, n) => `${chainPrefix}${n}`) : [];
  return [cert, chain, ...numbered, present, fingerprint, serial, ...preset.verdicts.map((v) => v.header)].filter((n): n is string => n !== undefined);
}

/** The names the module itself reads for the preset (lower-case), from the compiled profile. */
export function compiledHeaderNames(preset: ProxyPreset): string[] {
  return [...compileHeaderProfile({ preset: preset.name }).watchedNames];
}

/** The row of docs/PROXIES.md's "Headers each preset reads" table for one preset. */
export function presetHeaderRow(preset: ProxyPreset): string {
  const { chainPrefix } = preset.headers;
  const names = presetHeaderNames(preset).filter((name) => !chainPrefix || !name.startsWith(chainPrefix));
  const numbered = chainPrefix ? [`\`${chainPrefix}0\` to \`${chainPrefix}${DEFAULT_HEADER_LIMITS.maxCertificates - 1}\``] : [];
  const shown = names.map((name) => `\`${name}\``);
  // Numbered chain headers right after the certificate (and chain) header, as the parser reads them.
  const at = 1 + (preset.headers.chain ? 1 : 0);
  return `| \`${preset.name}\` | ${[...shown.slice(0, at), ...numbered, ...shown.slice(at)].join(', ')} |`;
}

export const ALL_PRESETS: readonly ProxyPreset[] = Object.values(PROXY_PRESETS);
