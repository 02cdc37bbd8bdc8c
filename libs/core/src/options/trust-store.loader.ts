import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseCertificate } from '../certificate/certificate.parser';
import { decodePemCertificates } from '../certificate/pem';
import type { ParsedCertificate } from '../certificate/parsed-certificate';
import { ClientCertOptionsError } from './options.error';
import type { TrustAnchorOptions } from './trust.options';

/** Trust anchors and helper intermediates, parsed once at bootstrap. */
export interface TrustStore {
  readonly anchors: readonly ParsedCertificate[];
  readonly intermediates: readonly ParsedCertificate[];
  /**
   * Changes whenever the set of certificates changes; part of every validation cache key so a
   * new trust store never reuses a verdict reached under the old one.
   */
  readonly version: string;
}

export function loadTrustStore(options: TrustAnchorOptions | undefined): TrustStore {
  if (!options) {
    throw new ClientCertOptionsError('trustAnchors', 'is missing', "Set trustAnchors: { files: ['/path/to/client-ca.pem'] }");
  }
  const anchors = [
    ...(options.files ?? []).flatMap((file) => readPemFile('trustAnchors.files', file)),
    ...(options.pem ?? []).flatMap((text, i) => parsePem(`trustAnchors.pem[${i}]`, text)),
  ];
  if (anchors.length === 0) {
    throw new ClientCertOptionsError(
      'trustAnchors',
      'yields no certificate',
      'Point trustAnchors.files at a PEM file with the CA certificate(s) your client certificates chain to.',
    );
  }
  for (const anchor of anchors) {
    if (anchor.basicConstraints?.ca !== true && !anchor.selfIssued) {
      throw new ClientCertOptionsError(
        'trustAnchors',
        `contains a certificate that is not a CA (${anchor.subject.rfc4514})`,
        'List CA certificates only; pin individual client certificates in the registry instead.',
      );
    }
  }
  const intermediates = (options.intermediateFiles ?? []).flatMap((file) => readPemFile('trustAnchors.intermediateFiles', file));
  const version = createHash('sha256')
    .update([...anchors, ...intermediates].map((c) => c.fingerprintSha256).join(','))
    .digest('hex')
    .slice(0, 16);
  return Object.freeze({ anchors: Object.freeze(anchors), intermediates: Object.freeze(intermediates), version });
}

function readPemFile(option: string, file: string): ParsedCertificate[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ClientCertOptionsError(option, `cannot read ${file} (${(error as Error).message})`, 'Check the path and file permissions.');
  }
  return parsePem(`${option} ${file}`, text);
}

function parsePem(option: string, text: string): ParsedCertificate[] {
  try {
    const ders = decodePemCertificates(text);
    if (ders.length === 0) throw new Error('no PEM CERTIFICATE block');
    return ders.map((der) => parseCertificate(der));
  } catch (error) {
    throw new ClientCertOptionsError(
      option,
      `is not a PEM certificate (${(error as Error).message})`,
      'Give PEM text with -----BEGIN CERTIFICATE----- blocks.',
    );
  }
}
