import { ClientCertOptionsError } from '../options/options.error';

/** Extended key usage names (RFC 5280 §4.2.1.12) accepted in options, mapped to OIDs. */
export const EKU_OIDS: Readonly<Record<string, string>> = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  OCSPSigning: '1.3.6.1.5.5.7.3.9',
  any: '2.5.29.37.0',
  anyExtendedKeyUsage: '2.5.29.37.0',
};

export const ANY_EKU = '2.5.29.37.0';

/**
 * Resolves EKU names or dotted OIDs to OIDs.
 * @throws ClientCertOptionsError on an unknown name (options are resolved at bootstrap, so this stops start-up).
 * @example resolveEku(['clientAuth', '1.3.6.1.4.1.311.20.2.2'])
 */
export function resolveEku(names: readonly string[]): string[] {
  return names.map((name) => {
    if (/^\d+(\.\d+)+$/.test(name)) return name;
    const oid = EKU_OIDS[name];
    if (!oid) {
      throw new ClientCertOptionsError(
        'validation.requiredEku',
        `contains the unknown extended key usage "${name}"`,
        `Use a name (${Object.keys(EKU_OIDS).join(', ')}) or a dotted OID.`,
      );
    }
    return oid;
  });
}

/** Short name of an EKU OID for messages. */
export function ekuName(oid: string): string {
  return Object.keys(EKU_OIDS).find((name) => EKU_OIDS[name] === oid) ?? oid;
}
