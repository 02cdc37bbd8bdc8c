import { createHash, randomBytes } from 'node:crypto';
import type { ClientCertPrincipal } from '@client-cert-auth/core';

/** A random lowercase SHA-256 hex digest. */
export function randomSha256(): string {
  return createHash('sha256').update(randomBytes(16)).digest('hex');
}

type PrincipalOverrides = Partial<Omit<ClientCertPrincipal, 'san'>> & { san?: Partial<ClientCertPrincipal['san']> };

/**
 * A principal built directly (no certificate) for the pure database tests: every hash random,
 * so each call is a distinct certificate unless overridden.
 */
export function buildPrincipal(overrides: PrincipalOverrides = {}): ClientCertPrincipal {
  const { san, ...rest } = overrides;
  return {
    subject: 'CN=client,O=Example',
    subjectAttributes: [],
    issuer: 'CN=Issuing CA,O=Example',
    issuerAttributes: [],
    serialNumber: randomBytes(8).toString('hex'),
    fingerprintSha256: randomSha256(),
    spkiSha256: randomSha256(),
    issuerSpkiSha256: randomSha256(),
    anchorSpkiSha256: randomSha256(),
    notBefore: new Date(Date.now() - 3600_000),
    notAfter: new Date(Date.now() + 86_400_000),
    chainFingerprints: [],
    profile: 'test',
    format: 'test',
    ...rest,
    san: { dns: [], uri: [], email: [], ip: [], upn: [], ...san },
  } as ClientCertPrincipal;
}

/** A logger that keeps test output clean but remembers what was said. */
export function quietLogger(): { log(m: string): void; warn(m: string): void; error(m: string): void; lines: string[] } {
  const lines: string[] = [];
  return { lines, log: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
}

/** A unique suffix so tests sharing one database never collide on names. */
export function uniq(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
