import { canonicalAttributeType } from './dn-attribute.type';

/**
 * Why a fast path: the general normalizer (dn.normalizer.ts) unescapes every value byte by byte,
 * decodes UTF-8 and applies NFC, ~40 µs per certificate on the cold path. Certificate names are
 * almost always printable ASCII without escapes, quotes, `+` or `;`, and for those every step of
 * the general algorithm is the identity except trimming and ASCII case folding: NFC leaves ASCII
 * unchanged, there is nothing to unescape, and no character left needs escaping in the key.
 *
 * Bytes that would make any step do more (a backslash, a quote, `#`, `+`, `;`, `<`, `>`, a second
 * `=`, a control character, anything outside ASCII) or a malformed name make it return
 * `undefined`: the caller then runs the general normalizer, which also owns every error message.
 * Keys are identical by construction; dn-plain.fast-path.spec.ts checks it differentially.
 */
export function normalizePlainDn(dn: string): string | undefined {
  let key = '';
  let start = 0;
  let equals = -1;
  for (let i = 0; i <= dn.length; i++) {
    const c = i < dn.length ? dn.charCodeAt(i) : COMMA;
    if (c === COMMA) {
      const ava = plainAttribute(dn, start, equals, i);
      if (ava === undefined) return undefined;
      key = start === 0 ? ava : `${key},${ava}`;
      start = i + 1;
      equals = -1;
    } else if (c === EQUALS) {
      if (equals >= 0) return undefined;
      equals = i;
    } else if (c < 0x20 || c > 0x7e || NEEDS_GENERAL_PATH[c] === 1) {
      return undefined;
    }
  }
  return key;
}

const COMMA = 0x2c;
const EQUALS = 0x3d;
const SPACE = 0x20;
/** ASCII characters the general normalizer would unescape, split on, or escape in a key. */
const NEEDS_GENERAL_PATH = new Uint8Array(128);
for (const c of '\\"#+;<>') NEEDS_GENERAL_PATH[c.charCodeAt(0)] = 1;

/** Types as written → their canonical form: a handful in practice, bounded against odd input. */
const KNOWN_TYPES = new Map<string, string>();
const MAX_KNOWN_TYPES = 256;

/** `TYPE=value` for `dn[start, end)` with its `=` at `equals`; `undefined` when not type=value. */
function plainAttribute(dn: string, start: number, equals: number, end: number): string | undefined {
  if (equals < 0) return undefined;
  const written = trimSpaces(dn, start, equals);
  let type = KNOWN_TYPES.get(written);
  if (type === undefined) {
    type = canonicalAttributeType(written);
    if (type === undefined) return undefined;
    if (KNOWN_TYPES.size < MAX_KNOWN_TYPES) KNOWN_TYPES.set(written, type);
  }
  return `${type}=${trimSpaces(dn, equals + 1, end).toLowerCase()}`;
}

/** `dn[start, end)` without U+0020 at either end (the only insignificant space). */
function trimSpaces(dn: string, start: number, end: number): string {
  while (start < end && dn.charCodeAt(start) === SPACE) start++;
  while (end > start && dn.charCodeAt(end - 1) === SPACE) end--;
  return dn.slice(start, end);
}
