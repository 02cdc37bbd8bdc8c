import { Logger } from '@nestjs/common';

/** The little the registry needs from a logger; Nest's `Logger` fits, so does `console`. */
export interface RegistryLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Default logger, under a stable context name operators can filter on. */
export function defaultRegistryLogger(): RegistryLogger {
  return new Logger('ClientCertRegistry');
}
