import { headerMalformed } from '../header.errors';

/** One XFCC element: its keys lower-cased, values unquoted and unescaped (not URL-decoded). */
export type XfccElement = ReadonlyMap<string, string>;

const KEY = /[A-Za-z0-9_-]/;
const OWS = /[ \t]/;

/**
 * Splits an `x-forwarded-client-cert` value into elements with a quote-aware scanner.
 * A naive `split(';')` let a client whose Subject contained `;Cert=...` override the proxy's
 * Cert (a real authentication bypass), so: `,` `;` `=` only separate outside quotes; a quoted
 * value must be the whole value (`a"b"` and `"a"b` are refused); `\"` is an escaped quote; a key
 * given twice in one element is refused. Keys compare case-insensitively (Envoy writes `By`,
 * `Hash`, `Cert`, `Chain`, `Subject`, `URI`, `DNS`).
 *
 * @example scanXfcc('By=spiffe://a;Hash=ab12;Subject="CN=x,O=y";URI=spiffe://c')
 * @throws ClientCertError HEADER_MALFORMED
 */
export function scanXfcc(text: string, maxElements: number): XfccElement[] {
  const elements: Map<string, string>[] = [];
  let element = new Map<string, string>();
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
    if (element.has(key)) fail(`key "${key}" given twice in one element`);
    element.set(key, value);
    if (i >= text.length) break;
    const separator = text[i++];
    if (separator === ',') {
      elements.push(element);
      if (elements.length >= maxElements) fail(`more than ${maxElements} elements`);
      element = new Map();
    } else if (separator !== ';') fail('a quote does not wrap a whole value');
  }
  elements.push(element);
  return elements;
}
