/** Secure defaults, in one place. Every default here is documented on its option. */
export const DEFAULTS = Object.freeze({
  maxHeaderBytes: 64 * 1024,
  maxCertificates: 10,
  clockSkewSeconds: 60,
  requiredEku: Object.freeze(['clientAuth']),
  maxPathLength: 8,
  minRsaBits: 2048,
  maxRsaBits: 8192,
  // On: 10 cold P-256 requests at a time cost the event loop 192 instead of 231 µs each (1.94x
  // req/s in-process, bench/thread-pool.bench.ts), and a lone request keeps the synchronous path.
  signatureThreadPool: true,
  revocationMode: 'soft-fail',
  cacheMaxEntries: 10_000,
  cacheMaxBytes: 64 * 1024 * 1024,
  cacheTtlSeconds: 300,
  failureCacheSeconds: 5,
} as const);
