/** Which module implements a command: loaded only when that command runs. */
export type CommandFamily = 'inspect' | 'registry';

/**
 * The top-level commands as `client-cert-auth --help` lists them. The full definitions (flags,
 * sub-commands) live with their implementations; `main.spec.ts` checks that both name the same
 * commands.
 */
export const COMMAND_SUMMARIES: Readonly<Record<string, { family: CommandFamily; description: string }>> = {
  inspect: { family: 'inspect', description: 'decode and validate a forwarded certificate header; exit 0 accepted, 1 rejected, 2 usage error' },
  accounts: { family: 'registry', description: 'Manage client accounts of the registry' },
  bind: { family: 'registry', description: 'Bind a certificate to an account' },
  unbind: { family: 'registry', description: 'Remove a binding' },
  deny: { family: 'registry', description: 'Refuse a certificate everywhere (403 CERT_REVOKED)' },
  undeny: { family: 'registry', description: 'Remove a certificate from the deny-list' },
  denied: { family: 'registry', description: 'List the deny-list' },
  migrate: { family: 'registry', description: 'Create or upgrade the registry tables' },
};
