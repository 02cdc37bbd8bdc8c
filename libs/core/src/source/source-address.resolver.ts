import type { RawHeaderReader } from '../header/raw-header.reader';
import { parseAddress, type AddressRanges } from './address-range.matcher';
import { peerAddress } from './peer-address.memo';

/** Which address counts for a profile, fixed at bootstrap. */
export interface SourceAddressPolicy {
  /** 0: the TCP peer. n: the n-th X-Forwarded-For entry from the right. */
  readonly trustedHops: number;
  /** Intermediaries that must have appended the entries to the right of it (and be the peer). */
  readonly hopsFrom?: AddressRanges;
}

/**
 * The address to check against a profile's `from`, or `undefined` when it cannot be trusted
 * (unparsable peer, peer or a right-hand hop outside `hopsFrom`, X-Forwarded-For too short).
 * X-Forwarded-For is read from the RIGHT only: everything left of the trusted hops may be
 * written by the client.
 */
export function resolveSourceAddress(policy: SourceAddressPolicy, remoteAddress: string | undefined, reader: RawHeaderReader) {
  const peer = peerAddress(remoteAddress);
  if (!peer || policy.trustedHops === 0) return peer;
  if (!policy.hopsFrom?.contains(peer)) return undefined;
  // Several X-Forwarded-For lines form one list, in order (RFC 9110 §5.3).
  const entries = reader
    .all('x-forwarded-for')
    .join(',')
    .split(',')
    .map((entry) => entry.trim());
  if (entries.length < policy.trustedHops) return undefined;
  for (let hop = 1; hop < policy.trustedHops; hop++) {
    const intermediary = parseAddress(entries[entries.length - hop]);
    if (!intermediary || !policy.hopsFrom.contains(intermediary)) return undefined;
  }
  return parseAddress(entries[entries.length - policy.trustedHops]);
}
