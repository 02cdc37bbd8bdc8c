/**
 * The logger the revocation checker writes to: Nest's `Logger` fits, and so does `console`.
 * Messages are stable event names (`client-cert.revocation.*`); details go in `ctx`.
 */
export interface RevocationLogger {
  warn(message: string, ctx?: object): void;
  debug?(message: string, ctx?: object): void;
}

/** Used when no logger is given: warnings still reach stderr, debug is dropped. */
export const consoleRevocationLogger: RevocationLogger = {
  warn: (message, ctx) => console.warn(message, ctx ?? ''),
};
