import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCertificate } from '@client-cert-auth/core';
import type { ParsedCertificate } from '@client-cert-auth/core';

export type CaKeyType = 'ec' | 'rsa' | 'rsa-pss' | 'ed25519';

/** A certificate file issued by `openssl ca`, with its key and the parsed model. */
export interface IssuedCert {
  name: string;
  certPath: string;
  keyPath: string;
  der: Buffer;
  parsed: ParsedCertificate;
}

/** `openssl ca -gencrl` knobs: validity (`hours`, `seconds` or an explicit window), signature options, a CRL extension section. */
export interface GencrlOptions {
  hours?: number;
  seconds?: number;
  window?: { last: Date; next: Date };
  sigopt?: string[];
  crlexts?: 'idp_match' | 'idp_other' | 'delta';
}

const NEW_KEY: Record<CaKeyType, string[]> = {
  ec: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  rsa: ['-newkey', 'rsa:2048'],
  'rsa-pss': ['-newkey', 'rsa-pss', '-pkeyopt', 'rsa_keygen_bits:2048'],
  ed25519: ['-newkey', 'ed25519'],
};

/**
 * A real OpenSSL CA in a directory: its own openssl.cnf, index.txt, serial and crlnumber, so
 * `openssl ca -revoke`, `-gencrl` and `openssl ocsp -index` work exactly as in production.
 * Certificates it issues carry a CRL distribution point and an AIA OCSP URL (when given).
 */
export class OpensslCa {
  readonly cert: IssuedCert;

  private constructor(
    readonly dir: string,
    readonly name: string,
  ) {
    this.cert = this.load('ca');
  }

  static create(dir: string, opts: { name: string; keyType?: CaKeyType; crlUrl?: string; ocspUrl?: string }): OpensslCa {
    mkdirSync(join(dir, 'newcerts'), { recursive: true });
    writeFileSync(join(dir, 'index.txt'), '');
    writeFileSync(join(dir, 'index.txt.attr'), 'unique_subject = no\n');
    writeFileSync(join(dir, 'serial'), '1000\n');
    writeFileSync(join(dir, 'crlnumber'), '1000\n');
    writeFileSync(join(dir, 'openssl.cnf'), config(opts.crlUrl, opts.ocspUrl));
    const args = ['req', '-x509', '-new', ...NEW_KEY[opts.keyType ?? 'ec'], '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem'];
    run(dir, [...args, '-subj', `/CN=${opts.name}/O=Revocation Tests`, '-days', '2', '-config', 'openssl.cnf', '-extensions', 'v3_ca']);
    return new OpensslCa(dir, opts.name);
  }

  /** A subordinate CA whose certificate this CA issues (and can revoke); it keeps its own index.txt. */
  subordinate(dir: string, opts: { name: string; crlUrl?: string; ocspUrl?: string }): OpensslCa {
    OpensslCa.create(dir, opts);
    run(dir, ['x509', '-x509toreq', '-in', 'ca.pem', '-signkey', 'ca.key', '-out', 'ca.csr']);
    run(this.dir, ['ca', '-batch', '-config', 'openssl.cnf', '-extensions', 'v3_ca', '-in', join(dir, 'ca.csr'), '-out', join(dir, 'ca.pem'), '-notext']);
    return new OpensslCa(dir, opts.name);
  }

  /** Issues a certificate with the `client` (clientAuth, CRL DP, AIA) or `ocsp` (OCSPSigning) or `plain` profile. */
  issue(name: string, profile: 'client' | 'ocsp' | 'plain' = 'client'): IssuedCert {
    run(this.dir, ['req', '-new', ...NEW_KEY.ec, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`, '-config', 'openssl.cnf']);
    run(this.dir, ['ca', '-batch', '-config', 'openssl.cnf', '-extensions', profile, '-in', `${name}.csr`, '-out', `${name}.pem`, '-notext']);
    return this.load(name);
  }

  /** Signs with the CA key via `openssl x509 -req`, bypassing index.txt: the responder answers `unknown`. */
  issueOutsideIndex(name: string, serialHex: string): IssuedCert {
    run(this.dir, ['req', '-new', ...NEW_KEY.ec, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`, '-config', 'openssl.cnf']);
    const sign = ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', `0x${serialHex}`, '-days', '1'];
    run(this.dir, [...sign, '-extfile', 'openssl.cnf', '-extensions', 'client', '-out', `${name}.pem`]);
    return this.load(name);
  }

  revoke(cert: IssuedCert, reason = 'keyCompromise'): void {
    run(this.dir, ['ca', '-batch', '-config', 'openssl.cnf', '-revoke', cert.certPath, '-crl_reason', reason]);
  }

  /** Writes a CRL with `openssl ca -gencrl`; `window` sets lastUpdate/nextUpdate explicitly (e.g. an expired CRL). */
  gencrl(out: string, opts: GencrlOptions = {}): string {
    const args = ['ca', '-batch', '-config', 'openssl.cnf', '-gencrl', '-out', out];
    if (opts.crlexts) args.push('-crlexts', opts.crlexts);
    if (opts.window) args.push('-crl_lastupdate', asn1Time(opts.window.last), '-crl_nextupdate', asn1Time(opts.window.next));
    else if (opts.seconds !== undefined) args.push('-crlsec', String(opts.seconds));
    else args.push('-crlhours', String(opts.hours ?? 1));
    for (const opt of opts.sigopt ?? []) args.push('-sigopt', opt);
    run(this.dir, args);
    return join(this.dir, out);
  }

  private load(name: string): IssuedCert {
    const certPath = join(this.dir, `${name}.pem`);
    const der = pemToDer(readFileSync(certPath, 'utf8'));
    return { name, certPath, keyPath: join(this.dir, `${name}.key`), der, parsed: parseCertificate(der) };
  }
}

export function pemToDer(pem: string): Buffer {
  const body = /-----BEGIN [A-Z0-9 ]+-----([\s\S]+?)-----END/.exec(pem);
  if (!body) throw new Error('no PEM block');
  return Buffer.from(body[1].replace(/\s+/g, ''), 'base64');
}

/** Runs openssl in `dir`; throws with stderr on failure. */
export function run(dir: string, args: string[]): string {
  return execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

function asn1Time(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:T]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

function config(crlUrl?: string, ocspUrl?: string): string {
  return `[ ca ]
default_ca = CA_default
[ CA_default ]
dir = .
database = $dir/index.txt
new_certs_dir = $dir/newcerts
certificate = $dir/ca.pem
private_key = $dir/ca.key
serial = $dir/serial
crlnumber = $dir/crlnumber
default_md = default
default_days = 2
default_crl_days = 1
policy = policy_any
unique_subject = no
copy_extensions = none
[ policy_any ]
commonName = supplied
[ req ]
distinguished_name = req_dn
prompt = no
[ req_dn ]
CN = unused
[ v3_ca ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ client ]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
${crlUrl ? `crlDistributionPoints = URI:${crlUrl}` : ''}
${ocspUrl ? `authorityInfoAccess = OCSP;URI:${ocspUrl}` : ''}
[ ocsp ]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = OCSPSigning
[ idp_match ]
issuingDistributionPoint = critical, @idp_match_section
[ idp_match_section ]
fullname = URI:${crlUrl ?? 'http://127.0.0.1/none.crl'}
onlyuser = TRUE
[ idp_other ]
issuingDistributionPoint = critical, @idp_other_section
[ idp_other_section ]
fullname = URI:http://127.0.0.1/another-partition.crl
[ delta ]
2.5.29.27 = critical,DER:02:01:01
[ plain ]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
`;
}
