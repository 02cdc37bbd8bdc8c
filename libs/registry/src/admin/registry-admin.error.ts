/** Why an admin operation was refused; the CLI maps these to exit codes and messages. */
export type RegistryAdminErrorReason = 'NOT_FOUND' | 'CONFLICT' | 'INVALID';

/** A refused admin operation (unknown account, duplicate binding, bad value…). */
export class RegistryAdminError extends Error {
  override readonly name = 'RegistryAdminError';

  constructor(
    readonly reason: RegistryAdminErrorReason,
    message: string,
  ) {
    super(message);
  }
}

/** True for a unique-constraint violation on SQLite or PostgreSQL. */
export function isUniqueViolation(error: unknown): boolean {
  const driver = (error as { driverError?: { code?: string } })?.driverError ?? (error as { code?: string });
  return driver?.code === '23505' || driver?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}
