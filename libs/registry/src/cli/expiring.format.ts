import type { AccountView } from '../admin/registry-admin.types';

/**
 * `accounts list --expiring` for people: one line per binding, soonest first, each with the
 * certificate's notAfter, how far off it is, and its fingerprint (what `bind --kind fingerprint`
 * and `deny --fingerprint` take).
 */
export function describeExpiring(accounts: readonly AccountView[], window: string, now = Date.now()): string {
  const lines = accounts.flatMap((a) =>
    (a.bindings ?? []).map((b) => {
      const cert = b.lastCertificate!;
      return `${a.name}  ${a.status}  ${b.kind} ${b.value}  expires ${cert.notAfter} (${distance(Date.parse(cert.notAfter) - now)})  sha256=${cert.fingerprintSha256}  (${b.id})`;
    }),
  );
  return lines.length === 0 ? `no last-seen certificate expires within ${window}` : lines.join('\n');
}

/** `in 9d 23h`, `in 5h 12m`, `expired 2d 1h ago`: days and hours, or hours and minutes under a day. */
function distance(ms: number): string {
  const abs = Math.abs(ms);
  const minutes = Math.floor(abs / 60_000);
  const hours = Math.floor(minutes / 60);
  const text = hours >= 24 ? `${Math.floor(hours / 24)}d ${hours % 24}h` : `${hours}h ${minutes % 60}m`;
  return ms >= 0 ? `in ${text}` : `expired ${text} ago`;
}
