import { ownCopy } from '../certificate/own-copy';
import type { DnAttribute } from '../certificate/parsed-certificate';

const EMPTY: readonly never[] = Object.freeze([]);

/**
 * Equal parts of principals and cached certificates, stored once: a client that renews or
 * rotates its certificate (SPIFFE SVIDs every hour, short-lived certificates) gets a new serial,
 * fingerprint and often key, but the same subject, issuer, SANs and URLs. Every cached verdict
 * would otherwise keep its own copy of each, and each copy, when it is a slice of the text the
 * certificate was decoded from (strings of 13+ characters are slices in V8), keeps that whole
 * text alive too (~500 B per certificate, measured by `bench/profile/retained.profile.ts`).
 *
 * A value is copied into flat strings of its own the first time it is seen (a JSON round trip:
 * exact for any UTF-16, lone surrogates included) and that frozen copy is handed out for every
 * equal one. Runs once per distinct certificate: lookups are keyed by length-prefixed joins (no
 * JSON per lookup), and empty lists, the common case, are one shared frozen array. Bounded by
 * entries and characters: cleared when either is reached, so names never seen again leave with
 * the next clear, and hostile certificates cannot grow it.
 */
export class SharedValues {
  private readonly values = new Map<string, unknown>();
  private chars = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxChars: number,
  ) {}

  /** The one copy of `text`. */
  string(text: string): string {
    const known = this.values.get(text);
    if (known !== undefined) return known as string;
    const own = ownCopy(text);
    this.remember(own, own, own.length);
    return own;
  }

  /** The one frozen copy of a list of strings (SANs, URLs). */
  strings(list: readonly string[]): readonly string[] {
    if (list.length === 0) return EMPTY;
    let key = 'S';
    for (const text of list) key += `${text.length}:${text}`;
    return this.shared(key, list);
  }

  /** The one deeply frozen copy of a Name's attributes. */
  attributes(list: readonly DnAttribute[]): readonly DnAttribute[] {
    if (list.length === 0) return EMPTY;
    // OIDs and short names are digits, dots and letters: only the value needs its length.
    let key = 'A';
    for (const { oid, name, value } of list) key += `${oid}\u0000${name}\u0000${value.length}:${value}`;
    return this.shared(key, list);
  }

  get size(): number {
    return this.values.size;
  }

  private shared<T>(key: string, value: T): T {
    const known = this.values.get(key);
    if (known !== undefined) return known as T;
    const own = deepFreeze(ownCopy(value));
    // The key and the value's strings: about twice the key's length.
    this.remember(ownCopy(key), own, 2 * key.length);
    return own;
  }

  private remember(key: string, value: unknown, chars: number): void {
    if (chars > this.maxChars) return;
    if (this.values.size >= this.maxEntries || this.chars + chars > this.maxChars) {
      this.values.clear();
      this.chars = 0;
    }
    this.values.set(key, value);
    this.chars += chars;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * The process-wide table for principals and cached certificates. 4,096 values and 1 Mi
 * characters (2 MiB as UTF-16 at worst): far more distinct subjects and SAN sets than one
 * deployment's CAs issue to clients that come back within a cache lifetime.
 */
export const SHARED_VALUES = new SharedValues(4096, 2 ** 20);
