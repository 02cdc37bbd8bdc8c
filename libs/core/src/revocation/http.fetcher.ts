import * as http from 'node:http';
import * as https from 'node:https';

export interface HttpFetchRequest {
  url: string;
  method?: 'GET' | 'POST';
  body?: Buffer;
  contentType?: string;
  accept?: string;
  /** Whole-exchange deadline (connect + headers + body). */
  timeoutMs: number;
  /** The body is cut off and the fetch fails past this size. */
  maxBytes: number;
}

/** A fetch that failed for a reason worth logging (timeout, status, size). */
export class HttpFetchError extends Error {
  override readonly name = 'HttpFetchError';
}

/**
 * Minimal HTTP(S) client for CRLs and OCSP. node:http rather than global fetch: a hard size cap
 * while streaming, no redirects followed (a CRL/OCSP URL that redirects is a misconfiguration,
 * and following it would let a forged certificate's URL steer us elsewhere), and a timeout that
 * covers the whole exchange through one AbortController.
 */
export function httpFetch(request: HttpFetchRequest): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return reject(new HttpFetchError(`invalid URL ${request.url}`));
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return reject(new HttpFetchError(`unsupported URL scheme ${url.protocol}`));
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), request.timeoutMs);
    timer.unref();
    const done = (error: Error | undefined, body?: Buffer): void => {
      clearTimeout(timer);
      if (error) reject(controller.signal.aborted ? new HttpFetchError(`${request.url} timed out after ${request.timeoutMs} ms`) : error);
      else resolve(body as Buffer);
    };
    const headers: Record<string, string | number> = { accept: request.accept ?? '*/*' };
    if (request.body) {
      headers['content-type'] = request.contentType ?? 'application/octet-stream';
      headers['content-length'] = request.body.length;
    }
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, { method: request.method ?? 'GET', headers, signal: controller.signal, agent: false }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return done(new HttpFetchError(`${request.url} answered HTTP ${res.statusCode}`));
      }
      const declared = Number(res.headers['content-length'] ?? 0);
      if (declared > request.maxBytes) {
        req.destroy();
        return done(new HttpFetchError(`${request.url} body of ${declared} bytes exceeds ${request.maxBytes}`));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > request.maxBytes) {
          req.destroy();
          done(new HttpFetchError(`${request.url} body exceeds ${request.maxBytes} bytes`));
        } else chunks.push(chunk);
      });
      res.on('end', () => done(undefined, Buffer.concat(chunks)));
      res.on('error', (error) => done(error));
    });
    req.on('error', (error) => done(error));
    req.end(request.body);
  });
}
