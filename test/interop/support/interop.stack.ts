import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDevPki, type DevPki } from '@client-cert-auth/dev-pki';
import { SAMPLE_CLIENTS, startSample, type SampleHarness } from '../../support/sample.harness';
import { startEchoServer } from './echo.server';
import { findBinary } from './binary.locator';
import { freePort } from './port.finder';
import { writeInteropFiles, type InteropFiles } from './interop-pki.writer';
import type { ProxyEntry } from './proxy-entries.table';
import type { ProxyProcess } from './proxy.process';

/** The sample backend behind a real proxy, plus the echo server and the TLS files. */
export interface InteropStack {
  /** The client PKI both the proxy and the backend trust. */
  readonly pki: DevPki;
  readonly files: InteropFiles;
  readonly proxy: ProxyProcess;
  /** The sample's own port on 127.0.0.1 (for requests that bypass the proxy). */
  readonly backendPort: number;
  /** The running sample backend; throws why it failed to start (the echo tests still run). */
  sample(): SampleHarness;
  /** https://localhost:<proxy port><path> */
  proxyUrl(path: string): string;
  /** Stops everything that was started, even after a failure; never throws. */
  close(): Promise<void>;
}

/**
 * Starts, in this order: the echo server, the real proxy (forwarding `/echo` to the echo server
 * and everything else to a reserved backend port), then the real sample backend on that port,
 * its only proxy profile trusting 127.0.0.1/32 with the recipe's format/preset and its trust
 * anchors set to the same dev PKI the proxy verifies clients against. A sample that fails to
 * start fails only the tests that need it. On any other failure, what already started is stopped.
 */
export async function startInteropStack(entry: ProxyEntry, binary: string): Promise<InteropStack> {
  const dir = mkdtempSync(join(tmpdir(), 'cca-interop-'));
  chmodSync(dir, 0o755); // proxy workers that drop root (nginx, apache) must reach their temp dirs
  const cleanups: Array<() => unknown> = [() => rmSync(dir, { recursive: true, force: true })];
  const close = async () => {
    for (const cleanup of cleanups.reverse())
      await Promise.resolve()
        .then(cleanup)
        .catch(() => undefined);
    cleanups.length = 0;
  };
  try {
    const pki = createDevPki({ clients: SAMPLE_CLIENTS });
    const files = writeInteropFiles(join(dir, 'pki'), pki);
    const echo = await startEchoServer();
    cleanups.push(() => echo.close());
    const proxyDir = join(dir, entry.binary);
    mkdirSync(proxyDir, { mode: 0o755 });
    const [port, backendPort] = [await freePort(), await freePort()];
    const proxy = await entry.start(binary, { files, dir: proxyDir, port, backendPort, echoPort: echo.port }, entry.recipe);
    cleanups.push(() => proxy.stop());
    const started = await startBackend(entry, files, backendPort);
    if ('sample' in started) cleanups.push(() => started.sample.close());
    return {
      pki,
      files,
      proxy,
      backendPort,
      sample: () => {
        if ('sample' in started) return started.sample;
        throw started.error;
      },
      proxyUrl: (path) => `https://localhost:${port}${path}`,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function startBackend(entry: ProxyEntry, files: InteropFiles, port: number): Promise<{ sample: SampleHarness } | { error: Error }> {
  const name = entry.recipe.id.replace(/\W+/g, '-');
  let sample: SampleHarness | undefined;
  try {
    sample = await startSample(entry.adapter ?? 'express', {
      CLIENT_CERT_CA_FILES: files.clientRootCa,
      // An empty value means "none": the sample harness's own default would add its intermediate.
      CLIENT_CERT_INTERMEDIATE_FILES: entry.chainOnly ? '' : files.clientIntermediateCa,
      CLIENT_CERT_PROXIES: JSON.stringify([{ name, from: ['127.0.0.1/32'], ...entry.recipe.profile }]),
    });
    await sample.app.listen(port, '127.0.0.1');
    return { sample };
  } catch (error) {
    await sample?.close().catch(() => undefined);
    const reason = error instanceof Error ? error : new Error(String(error));
    return { error: new Error(`the sample backend did not start for ${entry.recipe.id}: ${reason.message}`, { cause: reason }) };
  }
}

/** The binary of `entry`, or undefined after printing why its tests are skipped. */
export function locateProxy(entry: ProxyEntry): string | undefined {
  const binary = findBinary(entry.binary);
  if (!binary) console.warn(`[interop] skipping ${entry.recipe.id}: '${entry.binary}' is not installed (apt-get install ${entry.binary})`);
  return binary;
}
