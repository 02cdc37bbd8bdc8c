import { ia5String, objectIdentifier, printableString, sequence, setOf, utf8String } from './der';
import { DN_ATTRIBUTE_OIDS } from './oids';

/** One attribute type-and-value, as written in the RFC 4514 string. */
export interface DnAttribute {
  type: string;
  oid: string;
  value: string;
}

interface Char {
  ch: string;
  escaped: boolean;
}

/** Splits on an unescaped separator. */
function split(chars: Char[], separator: string): Char[][] {
  const parts: Char[][] = [[]];
  for (const c of chars) {
    if (!c.escaped && c.ch === separator) parts.push([]);
    else parts[parts.length - 1].push(c);
  }
  return parts;
}

/** Drops unescaped spaces at both ends (RFC 4514 leaves them insignificant unless escaped). */
function trim(chars: Char[]): string {
  let a = 0;
  let b = chars.length;
  while (a < b && !chars[a].escaped && chars[a].ch === ' ') a++;
  while (b > a && !chars[b - 1].escaped && chars[b - 1].ch === ' ') b--;
  return chars
    .slice(a, b)
    .map((c) => c.ch)
    .join('');
}

/** Tokenises backslash escapes: `\,` `\+` `\=` `\\` (any char) and `\XX` hex pairs (UTF-8 bytes). */
function tokenize(text: string): Char[] {
  const out: Char[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '\\') {
      out.push({ ch: text[i], escaped: false });
      continue;
    }
    // A run of \XX pairs is one UTF-8 byte sequence (a multi-byte char spans several pairs).
    const run = /^(?:\\[0-9a-fA-F]{2})+/.exec(text.slice(i))?.[0];
    if (run) {
      for (const ch of Buffer.from(run.replace(/\\/g, ''), 'hex').toString('utf8')) out.push({ ch, escaped: true });
      i += run.length - 1;
    } else if (i + 1 < text.length) out.push({ ch: text[++i], escaped: true });
    else throw new TypeError(`dev-pki: dangling backslash in DN '${text}'`);
  }
  return out;
}

/**
 * Parses an RFC 4514-style DN ('CN=alice,O=Example,C=DE'; `+` for multi-valued RDNs) into RDNs in
 * string order, i.e. most specific first.
 * @example parseDn('CN=a\\,b,O=x') // [[{type:'CN',value:'a,b'}],[{type:'O',value:'x'}]]
 */
export function parseDn(dn: string): DnAttribute[][] {
  if (dn.trim() === '') return [];
  return split(tokenize(dn), ',').map((rdn) =>
    split(rdn, '+').map((ava) => {
      const eq = ava.findIndex((c) => !c.escaped && c.ch === '=');
      if (eq < 0) throw new TypeError(`dev-pki: DN component without '=' in '${dn}'`);
      const type = trim(ava.slice(0, eq));
      const oid = /^[0-2](\.\d+)+$/.test(type) ? type : DN_ATTRIBUTE_OIDS[type.toUpperCase()];
      if (!oid) throw new TypeError(`dev-pki: unknown DN attribute type '${type}' in '${dn}'`);
      return { type, oid, value: trim(ava.slice(eq + 1)) };
    }),
  );
}

/** Value string type per attribute: C is PrintableString, emailAddress/DC IA5String, else UTF8String. */
function encodeValue(oid: string, value: string): Buffer {
  if (oid === DN_ATTRIBUTE_OIDS.C) return printableString(value);
  if (oid === DN_ATTRIBUTE_OIDS.EMAILADDRESS || oid === DN_ATTRIBUTE_OIDS.DC) return ia5String(value);
  return utf8String(value);
}

/**
 * DER Name from an RFC 4514 string. The string lists the most specific RDN first, DER the least
 * specific first, so the RDN order is reversed here.
 */
export function encodeDn(dn: string): Buffer {
  const rdns = parseDn(dn).reverse();
  return sequence(...rdns.map((rdn) => setOf(...rdn.map((a) => sequence(objectIdentifier(a.oid), encodeValue(a.oid, a.value))))));
}
