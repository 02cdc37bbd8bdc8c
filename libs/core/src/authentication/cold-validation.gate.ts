/**
 * Lets one cold validation (a certificate not in the verdict cache: decode and path building,
 * up to ~10 ms of CPU under the path builder's budget) start per turn of the event loop. The
 * first one in a turn starts at once (an idle server adds no latency); the others wait, in
 * order, and start one per `setImmediate`. Between two of them the loop polls sockets and runs
 * timers, so a flood of never-seen hostile chains on many connections cannot hold the loop for
 * (connections x one validation): warm requests and health checks keep being answered.
 * The warm path never comes here.
 */
export class ColdValidationGate {
  private readonly waiting: Array<() => void> = [];
  private busy = false;

  /** Cold validations waiting for their turn: how busy the server is with never-seen certificates. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Undefined when the caller may start now; otherwise a promise that resolves at its turn. */
  turn(): Promise<void> | undefined {
    if (!this.busy) {
      this.busy = true;
      setImmediate(this.next);
      return undefined;
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private readonly next = (): void => {
    const release = this.waiting.shift();
    if (!release) {
      this.busy = false;
      return;
    }
    setImmediate(this.next);
    release();
  };
}
