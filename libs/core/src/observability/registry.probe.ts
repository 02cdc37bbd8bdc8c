/**
 * Port for a health check of the account registry: `ping()` resolves when the store answers and
 * rejects otherwise (with a message safe to show on a health route). `ClientCertHealthIndicator`
 * uses it when one is provided under this class token; `@client-cert-auth/registry` ships
 * `RegistryHealthProbe` (`SELECT 1` on its connection).
 *
 * @example providers: [{ provide: ClientCertRegistryProbe, useClass: RegistryHealthProbe }]
 */
export abstract class ClientCertRegistryProbe {
  /** @param timeoutMs give up (reject) after this long. */
  abstract ping(timeoutMs: number): Promise<void>;
}
