import { isIP } from 'node:net';
import type { DistinguishedName, NameConstraints, ParsedCertificate } from './parsed-certificate';
import type { GeneralName } from './general-name.parser';
import { type PathFailure, describe, failure } from './certificate-profile.check';

/** Shared counter so that 2,048 constraints x 1,024 names cannot stall a request. */
export interface WorkBudget {
  remaining: number;
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const EMAIL_ADDRESS_OID = '1.2.840.113549.1.9.1';

function isDnsName(name: string, allowWildcard: boolean): boolean {
  const labels = name.toLowerCase().split('.');
  if (allowWildcard && labels[0] === '*' && labels.length > 2) labels.shift();
  return name.length <= 253 && labels.every((l) => LABEL.test(l)) && !isIP(name);
}

function within(name: string, base: string): boolean {
  return base === '' || name === base || name.endsWith('.' + base);
}

function mailbox(address: string): { local: string; host: string } | undefined {
  const at = address.indexOf('@');
  if (at <= 0 || at !== address.lastIndexOf('@')) return undefined;
  const host = address.slice(at + 1).toLowerCase();
  return isDnsName(host, false) ? { local: address.slice(0, at), host } : undefined;
}

function uriHost(uri: string): string | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^:/?#]*)/i.exec(uri);
  const host = match?.[1]?.toLowerCase();
  return host && isDnsName(host, false) ? host : undefined;
}

function dnWithin(name: DistinguishedName, base: DistinguishedName): boolean {
  return base.normalized === '' || name.normalized === base.normalized || name.normalized.startsWith(base.normalized + '\u0000');
}

/** Is the constraint itself well-formed? A CA with a malformed constraint constrains nothing we can trust. */
function validConstraint(c: GeneralName): boolean {
  switch (c.type) {
    case 'dns':
      return c.value === '' || isDnsName(c.value, false);
    case 'email':
      return c.value.includes('@') ? mailbox(c.value) !== undefined : isDnsName(c.value.replace(/^\./, ''), false);
    case 'uri':
      return isDnsName(c.value.replace(/^\./, ''), false);
    case 'ip': {
      if (c.bytes.length !== 8 && c.bytes.length !== 32) return false;
      const mask = c.bytes.subarray(c.bytes.length / 2);
      const bits = Array.from(mask, (b) => b.toString(2).padStart(8, '0')).join('');
      return /^1*0*$/.test(bits) && c.bytes.subarray(0, mask.length).every((b, i) => (b & ~mask[i]) === 0);
    }
    default:
      return true;
  }
}

/** Does `name` fall inside subtree `c` (for excluded: could it?). Same-type only; undefined = cannot evaluate. */
function matches(name: GeneralName, c: GeneralName, excluded: boolean): boolean | undefined {
  if (name.type === 'dns' && c.type === 'dns') {
    const n = name.value.toLowerCase();
    const base = c.value.toLowerCase();
    if (!isDnsName(n, true)) return undefined;
    if (!n.startsWith('*.')) return within(n, base);
    const parent = n.slice(2);
    // A wildcard is inside a permitted subtree only if every expansion is; it hits an excluded
    // subtree if any expansion could (CVE-2025-61727).
    return within(parent, base) || (excluded && base.endsWith('.' + parent));
  }
  if (name.type === 'email' && c.type === 'email') {
    const box = mailbox(name.value);
    if (!box) return undefined;
    if (c.value.includes('@')) {
      const want = mailbox(c.value)!;
      return box.local === want.local && box.host === want.host;
    }
    const base = c.value.toLowerCase();
    return base.startsWith('.') ? box.host.endsWith(base) : box.host === base;
  }
  if (name.type === 'uri' && c.type === 'uri') {
    const host = uriHost(name.value);
    if (!host) return undefined;
    const base = c.value.toLowerCase();
    return base.startsWith('.') ? host.endsWith(base) : host === base;
  }
  if (name.type === 'ip' && c.type === 'ip') {
    if (c.bytes.length !== name.bytes.length * 2) return false;
    const mask = c.bytes.subarray(name.bytes.length);
    return name.bytes.every((b, i) => (b & mask[i]) === (c.bytes[i] & mask[i]));
  }
  if (name.type === 'directoryName' && c.type === 'directoryName') return dnWithin(name.name, c.name);
  return undefined;
}

function typeOf(name: GeneralName): string {
  return name.type;
}

/** Every name of a certificate that name constraints apply to (RFC 5280 §4.2.1.10, §6.1.3 (b)). */
function namesOf(cert: ParsedCertificate): GeneralName[] {
  const sans = cert.subjectAltNames;
  const names: GeneralName[] = [];
  if (cert.subject.rdns.length > 0) names.push({ type: 'directoryName', name: cert.subject });
  for (const rdn of cert.subject.rdns) for (const a of rdn) if (a.oid === EMAIL_ADDRESS_OID) names.push({ type: 'email', value: a.value });
  for (const value of sans.dns) names.push({ type: 'dns', value });
  for (const value of sans.email) names.push({ type: 'email', value });
  for (const value of sans.uri) names.push({ type: 'uri', value });
  for (const value of sans.ip) names.push({ type: 'ip', bytes: ipBytes(value) });
  for (const name of sans.directoryName) names.push({ type: 'directoryName', name });
  for (const value of sans.upn) names.push({ type: 'otherName', oid: '1.3.6.1.4.1.311.20.2.3', value });
  for (const other of sans.otherTypes ?? [])
    names.push(other.startsWith('otherName:') ? { type: 'otherName', oid: other.slice(10) } : ({ type: other } as GeneralName));
  return names;
}

function ipBytes(text: string): Buffer {
  if (isIP(text) === 4) return Buffer.from(text.split('.').map(Number));
  const [head, tail = ''] = text.split('::');
  const groups = (s: string) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const h = groups(head);
  const t = groups(tail);
  const all = text.includes('::') ? [...h, ...new Array(8 - h.length - t.length).fill(0), ...t] : h;
  const out = Buffer.alloc(16);
  all.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  return out;
}

function checkOne(cert: ParsedCertificate, role: string, ca: ParsedCertificate, nc: NameConstraints, budget: WorkBudget): PathFailure | undefined {
  const permitted = nc.permitted ?? [];
  const excluded = nc.excluded ?? [];
  const permittedTypes = new Set(permitted.map(typeOf));
  for (const name of namesOf(cert)) {
    const label = `${role} name ${name.type === 'directoryName' ? name.name.rfc4514 : 'value' in name ? name.value : name.type === 'ip' ? 'IP' : name.type}`;
    for (const c of excluded) {
      if (c.type !== name.type) continue;
      if (--budget.remaining < 0) return failure('CERT_POLICY', 'name constraint checking exceeded its work budget');
      const hit = matches(name, c, true);
      if (hit !== false)
        return failure('CERT_POLICY', `${label} ${hit ? 'is excluded by' : 'cannot be checked against'} the name constraints of ${describe(ca, 'CA')}`);
    }
    if (!permittedTypes.has(name.type)) continue;
    let ok = false;
    for (const c of permitted) {
      if (c.type !== name.type) continue;
      if (--budget.remaining < 0) return failure('CERT_POLICY', 'name constraint checking exceeded its work budget');
      const hit = matches(name, c, false);
      if (hit === undefined) return failure('CERT_POLICY', `${label} cannot be checked against the name constraints of ${describe(ca, 'CA')}`);
      if (hit) {
        ok = true;
        break;
      }
    }
    if (!ok) return failure('CERT_POLICY', `${label} is outside the permitted subtrees of ${describe(ca, 'CA')}`);
  }
  return undefined;
}

/**
 * Applies every CA's nameConstraints in `path` (leaf first) to the certificates below it,
 * skipping self-issued intermediates as RFC 5280 §6.1.3 (b) says.
 */
export function checkNameConstraints(path: readonly ParsedCertificate[], budget: WorkBudget): PathFailure | undefined {
  for (let k = path.length - 1; k >= 1; k--) {
    const ca = path[k];
    const nc = ca.nameConstraints;
    if (!nc) continue;
    const bad = [...(nc.permitted ?? []), ...(nc.excluded ?? [])].find((c) => !validConstraint(c));
    if (bad) return failure('CERT_POLICY', `${describe(ca, 'CA')} has a malformed ${bad.type} name constraint`);
    for (let j = k - 1; j >= 0; j--) {
      if (j > 0 && path[j].selfIssued) continue;
      const result = checkOne(path[j], j === 0 ? 'leaf' : 'intermediate', ca, nc, budget);
      if (result) return result;
    }
  }
  return undefined;
}
