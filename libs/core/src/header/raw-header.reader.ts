import { headerMalformed } from './header.errors';

/** Header names compare case-insensitively, and `_` is how a client sneaks a `-` past proxies. */
function canonicalName(name: string): string {
  return dashed(name.toLowerCase());
}

/** `_` as `-` in a lower-case name; most names have none, and skip the regular expression. */
function dashed(lower: string): string {
  return lower.includes('_') ? lower.replace(/_/g, '-') : lower;
}

/**
 * A case-insensitive view of one request's headers, built once per request from Node's
 * `rawHeaders` (the only place that still shows a header sent twice: `req.headers` joins
 * repeats with ", " and would hide a client-sent copy next to the proxy's).
 *
 * @example
 * const reader = new RawHeaderReader(req.rawHeaders);
 * reader.single('client-cert'); // throws HEADER_MALFORMED when given twice
 */
export class RawHeaderReader {
  private readonly byName = new Map<string, string[]>();
  /** Original spellings of every header, by canonical name, to find underscore variants. */
  private readonly spellings = new Map<string, string[]>();

  constructor(rawHeaders: readonly string[]) {
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
      const name = rawHeaders[i];
      const lower = name.toLowerCase();
      const values = this.byName.get(lower);
      if (values) values.push(rawHeaders[i + 1]);
      else this.byName.set(lower, [rawHeaders[i + 1]]);
      const canonical = dashed(lower); // canonicalName(name), from the lower-case spelling at hand
      const seen = this.spellings.get(canonical);
      if (seen) seen.push(name);
      else this.spellings.set(canonical, [name]);
    }
  }

  /** Builds a reader from `[name, value]` pairs (CLI, tests). */
  static fromPairs(pairs: ReadonlyArray<readonly [string, string]>): RawHeaderReader {
    return new RawHeaderReader(pairs.flatMap(([name, value]) => [name, value]));
  }

  /**
   * The value of a header that must occur at most once; `undefined` when absent.
   * @throws ClientCertError HEADER_MALFORMED when the header occurs more than once.
   */
  single(name: string): string | undefined {
    const values = this.byName.get(name.toLowerCase());
    if (!values) return undefined;
    if (values.length > 1) {
      throw headerMalformed(`Header ${name} was sent ${values.length} times; it must occur once`, {
        header: name.toLowerCase(),
        occurrences: values.length,
      });
    }
    return values[0];
  }

  /** Every value of a header that may repeat, in the order received. */
  all(name: string): readonly string[] {
    return this.byName.get(name.toLowerCase()) ?? [];
  }

  /** True when the header occurs at least once. */
  has(name: string): boolean {
    return this.byName.has(name.toLowerCase());
  }

  /**
   * Headers whose name differs from one of `names` only by `_` instead of `-` (e.g.
   * `X_SSL_Client_Cert` for `X-SSL-Client-Cert`). They are never read: several proxies strip the
   * configured header but pass the variant, and some frameworks merge the two. Returned (in the
   * client's spelling) so the caller can log the attempt.
   */
  underscoreVariants(names: Iterable<string>): string[] {
    const found: string[] = [];
    for (const name of names) {
      const exact = name.toLowerCase();
      for (const spelling of this.spellings.get(canonicalName(name)) ?? []) {
        if (spelling.toLowerCase() !== exact) found.push(spelling);
      }
    }
    return found;
  }
}
