/**
 * Where nonces of HMAC-signed requests are remembered, so each is accepted once. The default
 * keeps them in the process (`MemoryReplayStore`, one per profile); with several instances
 * behind one proxy, provide a shared one (`@client-cert-auth/registry` provides a PostgreSQL
 * store when the registry is on PostgreSQL), or instance B accepts what instance A already did.
 *
 * Implementations must be bounded and fail closed: when they cannot tell whether a nonce was
 * seen (down, full), `claim` rejects and the request is refused with 503 `REPLAY_CHECK_UNAVAILABLE`.
 *
 * @example
 * // In a global module (the auth module resolves it like the registry), instead of the
 * // store ClientCertRegistryModule provides:
 * @Global() @Module({ providers: [{ provide: ReplayStore, useClass: MyRedisReplayStore }], exports: [ReplayStore] })
 * class ReplayStoreModule {}
 */
export abstract class ReplayStore {
  /**
   * Records `key` (a profile name and a nonce) until `expiresAt` (ms since the epoch).
   * @returns true when the key was not seen before, or only in an entry that has expired;
   *   false when it is a replay.
   * @throws ClientCertError REPLAY_CHECK_UNAVAILABLE (or any error: treated the same) when the
   *   store cannot decide.
   */
  abstract claim(key: string, expiresAt: number): Promise<boolean>;
}
