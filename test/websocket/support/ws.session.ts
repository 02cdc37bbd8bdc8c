import WebSocket from 'ws';

/** How a connection ended: the close code and reason the server sent. */
export interface WsClose {
  readonly code: number;
  readonly reason: string;
}

/**
 * A real `ws` client connection whose incoming JSON messages queue up, so a test awaits them in
 * order (`next()`), and whose close is a promise (`closed`).
 */
export class WsSession {
  readonly closed: Promise<WsClose>;
  private readonly received: unknown[] = [];
  private readonly waiting: Array<(message: unknown) => void> = [];

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message: unknown = JSON.parse(String(data));
      const waiter = this.waiting.shift();
      if (waiter) waiter(message);
      else this.received.push(message);
    });
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  }

  /** Opens `url`, with `headers` on the upgrade request. */
  static open(url: string, headers: Record<string, string> = {}): WsSession {
    const socket = new WebSocket(url, { headers });
    // A refused upgrade or a reset surfaces as the close below; the error itself adds nothing.
    socket.on('error', () => undefined);
    return new WsSession(socket);
  }

  /** The next message, or a rejection when none comes within `ms`. */
  next(ms = 5000): Promise<unknown> {
    const queued = this.received.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no message within ${ms} ms`)), ms);
      this.waiting.push((message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
  }

  /** Sends a Nest `ws` adapter message: `{ event, data }`. */
  send(event: string, data?: unknown): void {
    this.socket.send(JSON.stringify({ event, data }));
  }

  close(): Promise<WsClose> {
    this.socket.close();
    return this.closed;
  }
}
