import { headerMalformed } from '../header.errors';

/** The keys Envoy writes (lower-cased): anything else did not come from Envoy. */
export type XfccKey = 'by' | 'hash' | 'cert' | 'chain' | 'subject' | 'uri' | 'dns';

/** One XFCC element: each key Envoy wrote, with its values in order (unquoted, unescaped, not URL-decoded). */
export type XfccElement = ReadonlyMap<XfccKey, readonly string[]>;

const KNOWN_KEYS: ReadonlySet<string> = new Set<XfccKey>(['by', 'hash', 'cert', 'chain', 'subject', 'uri', 'dns']);
/**
 * Envoy writes one `URI=` / `DNS=` pair per SAN of the client certificate and one `By=` per URI
 * SAN of its own (conn_manager_utility.cc). `Cert`, `Chain`, `Hash` and `Subject` occur once: a
 * second one is what a smuggling attempt produces.
 */
const REPEATABLE_KEYS: ReadonlySet<string> = new Set<XfccKey>(['by', 'uri', 'dns']);

const KEY = /[A-Za-z0-9_-]/;
const OWS = /[ \t]/;

/**
 * Splits an `x-forwarded-client-cert` value into elements, reading it exactly as Envoy writes
 * it. A naive `split(';')` let a client whose Subject contained `;Cert=...` override the proxy's
 * Cert (a real authentication bypass), so: `,` `;` `=` only separate outside quotes; a quoted
 * value must be the whole value (`a"b"` and `"a"b` are refused); `\"` is an escaped quote; keys
 * compare case-insensitively and must be one of Envoy's seven.
 *
 * Envoy writes `URI=` and `DNS=` values unquoted, so a SAN holding `,` or `;` can still fake a
 * separator here. What stops it: a fake `,` adds an element, and the caller requires exactly as
 * many elements as the profile has trusted hops (`maxElements`, refused as soon as it is passed);
 * a fake `;Cert=` / `;Hash=` / `;Chain=` / `;Subject=` repeats a key that occurs once (refused);
 * a fake `;URI=` / `;DNS=` changes the SAN list, which must then equal the certificate's own.
 *
 * @example scanXfcc('By=spiffe://a;Hash=ab12;Subject="CN=x,O=y";URI=spiffe://c', 1)
 * @throws ClientCertError HEADER_MALFORMED
 */
export function scanXfcc(text: string, maxElements: number): XfccElement[] {
  const elements: Map<XfccKey, string[]>[] = [];
  let element = new Map<XfccKey, string[]>();
  let i = 0;
  const fail = (reason: string): never => {
    throw headerMalformed(`x-forwarded-client-cert is malformed: ${reason}`, { position: i });
  };
  const skipOws = () => {
    while (i < text.length && OWS.test(text[i])) i++;
  };

  for (;;) {
    skipOws();
    const keyStart = i;
    while (i < text.length && KEY.test(text[i])) i++;
    if (i === keyStart) fail('expected a key');
    const key = text.slice(keyStart, i).toLowerCase();
    if (!KNOWN_KEYS.has(key)) fail(`unknown key "${key.slice(0, 32)}" (Envoy writes By, Hash, Cert, Chain, Subject, URI, DNS)`);
    if (text[i] !== '=') fail('expected "=" after a key');
    i++;
    let value = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) fail('unterminated quoted value');
        const c = text[i++];
        if (c === '"') break;
        if (c === '\\') {
          if (i >= text.length) fail('dangling escape');
          value += text[i++];
        } else value += c;
      }
    } else {
      const start = i;
      // `=` may stand in an unquoted value (unencoded base64 padding): only `,` and `;` separate.
      while (i < text.length && !',;"'.includes(text[i])) i++;
      value = text.slice(start, i).trim();
    }
    skipOws();
    const values = element.get(key as XfccKey);
    if (values === undefined) element.set(key as XfccKey, [value]);
    else if (REPEATABLE_KEYS.has(key)) values.push(value);
    else fail(`key "${key}" given twice in one element`);
    if (i >= text.length) break;
    const separator = text[i++];
    if (separator === ',') {
      elements.push(element);
      if (elements.length >= maxElements) fail(`more than ${maxElements} element(s), the number of trusted hops`);
      element = new Map();
    } else if (separator !== ';') fail('a quote does not wrap a whole value');
  }
  elements.push(element);
  return elements;
}
