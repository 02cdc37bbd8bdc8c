import { ClientCertError } from '../errors/client-cert.error';
import { ReplayWindow } from './replay.window';
import { ReplayStore } from './replay.store';

/**
 * The in-process replay store: bounded by `capacity` live nonces. When full of unexpired ones it
 * refuses new nonces (503), since forgetting one would let its request be replayed.
 */
export class MemoryReplayStore extends ReplayStore {
  private readonly window: ReplayWindow;

  constructor(
    capacity: number,
    private readonly now: () => number = Date.now,
  ) {
    super();
    this.window = new ReplayWindow(capacity);
  }

  /** `claim` without a promise, for the synchronous `TrustedProxies.extract`. */
  claimNow(key: string, expiresAt: number): boolean {
    const verdict = this.window.remember(key, expiresAt, this.now());
    if (verdict === 'full') {
      throw new ClientCertError('REPLAY_CHECK_UNAVAILABLE', 'the replay store is full of unexpired nonces; raise hmac.replayCacheSize', {
        size: this.window.size,
      });
    }
    return verdict === 'new';
  }

  async claim(key: string, expiresAt: number): Promise<boolean> {
    return this.claimNow(key, expiresAt);
  }
}
