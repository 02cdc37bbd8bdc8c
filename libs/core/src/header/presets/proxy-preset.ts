import type { ProxyHeaderNames, ProxyVerdictOptions } from '../../options/proxy-profile.options';
import type { HeaderFormat } from '../header-format';

/** Preset ids, as options and the CLI's `--preset` spell them. */
export const PROXY_PRESET_NAMES = [
  'aws-alb-passthrough',
  'aws-alb-verify',
  'gcp',
  'cloudflare',
  'azure-app-service',
  'azure-app-gateway',
  'envoy',
  'istio',
  'nginx',
  'haproxy',
  'apache',
  'caddy',
  'traefik',
] as const;

export type ProxyPresetName = (typeof PROXY_PRESET_NAMES)[number];

/** What a preset fills in a profile. Operators can override every part. */
export interface ProxyPreset {
  readonly name: ProxyPresetName;
  /** One line for docs and the CLI. */
  readonly description: string;
  readonly format: HeaderFormat;
  readonly headers: Readonly<ProxyHeaderNames> & { readonly cert: string };
  readonly verdicts: readonly Readonly<ProxyVerdictOptions>[];
  /**
   * True when this proxy can forward a certificate it did not (fully) validate. The module's own
   * validation is mandatory anyway; a start-up linter uses this flag to warn about weak setups.
   */
  readonly forwardsUnvalidated: boolean;
  /**
   * True when the certificate header holds a list, the leaf then its chain (Traefik joins
   * base64 DERs with `,`). Otherwise the header holds one certificate and a list in it is
   * refused: it is what a hop that merged a client's copy with its own sends.
   */
  readonly certHeaderHoldsChain?: boolean;
}
