import { CLOUD_PRESETS } from './cloud.presets';
import { PROXY_PRESET_NAMES, type ProxyPreset, type ProxyPresetName } from './proxy-preset';
import { SERVER_PRESETS } from './server.presets';

/** Every preset by name, frozen. */
export const PROXY_PRESETS: Readonly<Record<ProxyPresetName, ProxyPreset>> = Object.freeze(
  Object.fromEntries([...CLOUD_PRESETS, ...SERVER_PRESETS].map((preset) => [preset.name, preset])) as Record<ProxyPresetName, ProxyPreset>,
);

/**
 * The preset of that name.
 * @throws Error naming the valid presets when it does not exist (bootstrap and CLI only).
 */
export function getProxyPreset(name: string): ProxyPreset {
  const preset = (PROXY_PRESETS as Record<string, ProxyPreset | undefined>)[name];
  if (!preset) throw new Error(`Unknown proxy preset "${name}"; use one of: ${PROXY_PRESET_NAMES.join(', ')}`);
  return preset;
}
