import { ClientCertError } from '../errors/client-cert.error';
import type { ClientAccount } from '../registry/client-account';

/** The account must hold every required role; `ROLE_MISSING` names the missing ones in the log only. */
export function assertRoles(account: ClientAccount, required: readonly string[] | undefined): void {
  if (!required || required.length === 0) return;
  // Hot path (every warm request of a role-guarded route): no array unless a role is missing.
  let complete = true;
  for (let i = 0; i < required.length && complete; i++) complete = account.roles.includes(required[i]);
  if (complete) return;
  const missing = required.filter((role) => !account.roles.includes(role));
  throw new ClientCertError('ROLE_MISSING', `account ${account.name} lacks role(s) ${missing.join(', ')}`);
}
