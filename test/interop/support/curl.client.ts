import { execFile } from 'node:child_process';

/** What one curl run produced. `status` is 0 when no HTTP response came back (e.g. TLS refused). */
export interface CurlResult {
  status: number;
  body: string;
  /** The parsed JSON body, or undefined when it is not JSON. */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  exitCode: number;
  stderr: string;
}

export interface CurlRequest {
  url: string;
  /** Trust for the server certificate (the interop server CA). */
  cacert?: string;
  /** Client certificate and key files, for mTLS. */
  cert?: string;
  key?: string;
  /** Raw header lines, e.g. 'X-SSL-Client-Cert: ...'. */
  headers?: string[];
  /** Source address to bind (`--interface`), e.g. 127.0.0.2 to come from outside a 127.0.0.1/32 profile. */
  from?: string;
  /** Pins the URL's host name to 127.0.0.1 (`--resolve`), so a TLS name (SNI) is sent as in production. */
  pinToLoopback?: boolean;
  /** The request method (`--request`). @default 'GET' */
  method?: string;
}

/**
 * Runs the real curl binary asynchronously (never execSync: the proxies and the backend run in
 * this same event loop's neighbourhood and must keep serving while curl waits).
 */
export function curl(request: CurlRequest): Promise<CurlResult> {
  const args = ['--silent', '--show-error', '--max-time', '10', '--output', '-', '--write-out', '\n%{http_code}'];
  if (request.cacert) args.push('--cacert', request.cacert);
  if (request.cert) args.push('--cert', request.cert);
  if (request.key) args.push('--key', request.key);
  if (request.from) args.push('--interface', request.from);
  if (request.method) args.push('--request', request.method);
  if (request.pinToLoopback) {
    const url = new URL(request.url);
    args.push('--resolve', `${url.hostname}:${url.port}:127.0.0.1`);
  }
  for (const header of request.headers ?? []) args.push('--header', header);
  args.push(request.url);
  return new Promise((resolve) => {
    execFile('curl', args, { maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      const cut = stdout.lastIndexOf('\n');
      const body = cut >= 0 ? stdout.slice(0, cut) : '';
      const status = Number(cut >= 0 ? stdout.slice(cut + 1) : stdout) || 0;
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const exitCode = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ status, body, json, exitCode, stderr });
    });
  });
}
