import { compileHeaderProfile, type CompiledHeaderProfile } from '../header/header-profile.compiler';
import type { HeaderLimitValues } from '../header/header.limits';
import type { ProxyProfileOptions } from '../options/proxy-profile.options';
import { AddressRanges } from './address-range.matcher';
import { HmacCheck } from './hmac.check';
import { SharedSecretCheck } from './shared-secret.check';
import type { SourceAddressPolicy } from './source-address.resolver';

/** A proxy profile resolved once at bootstrap: source checks plus its header parser. */
export interface CompiledProxyProfile {
  readonly name: string;
  readonly from: AddressRanges;
  readonly source: SourceAddressPolicy;
  readonly headers: CompiledHeaderProfile;
  readonly sharedSecret?: SharedSecretCheck;
  readonly hmac?: HmacCheck;
  /** Every header name the profile reads, source-check headers included (for `_` variants). */
  readonly watchedNames: readonly string[];
}

const NAME = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Validates one profile and compiles it. Every error message names the profile and the fix.
 * @throws Error
 */
export function compileProxyProfile(options: ProxyProfileOptions, limits: Partial<HeaderLimitValues>, now: () => number = Date.now): CompiledProxyProfile {
  if (options === null || typeof options !== 'object') throw new Error('Each entry of "proxies" must be an object');
  if (typeof options.name !== 'string' || !NAME.test(options.name)) {
    throw new Error(`Proxy profile name ${JSON.stringify(options.name)} must be 1-64 letters, digits, ".", "_" or "-"`);
  }
  const where = `Proxy profile "${options.name}"`;
  const from = new AddressRanges(options.from, `${where} "from"`);
  const trustedHops = options.trustedHops ?? 0;
  if (!Number.isSafeInteger(trustedHops) || trustedHops < 0 || trustedHops > 10) {
    throw new Error(`${where}: trustedHops must be an integer from 0 (the TCP peer, the default) to 10`);
  }
  if (trustedHops > 0 && !options.hopsFrom) {
    throw new Error(
      `${where}: trustedHops > 0 needs "hopsFrom", the CIDRs of the proxies between "${options.name}" and this server; without it any client could write X-Forwarded-For`,
    );
  }
  if (trustedHops === 0 && options.hopsFrom) {
    throw new Error(`${where}: "hopsFrom" is only used with trustedHops > 0; remove it or set trustedHops`);
  }
  const hopsFrom = options.hopsFrom ? new AddressRanges(options.hopsFrom, `${where} "hopsFrom"`) : undefined;
  const headers = compileHeaderProfile(options, limits);
  const sharedSecret = options.sharedSecret ? new SharedSecretCheck(options.sharedSecret, options.name) : undefined;
  const coverage = { names: [...headers.watchedNames].sort(), chainPrefix: headers.chainPrefix };
  const hmac = options.hmac ? new HmacCheck(options.hmac, options.name, coverage, now) : undefined;
  const watched = [...headers.watchedNames, sharedSecret?.header, hmac?.header, hmac?.timestampHeader, hmac?.nonceHeader];
  return Object.freeze({
    name: options.name,
    from,
    source: { trustedHops, hopsFrom },
    headers,
    sharedSecret,
    hmac,
    watchedNames: [...new Set(watched.filter((n): n is string => n !== undefined))],
  });
}
