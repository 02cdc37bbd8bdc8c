/** What `npm run bench` reads from the validation owner's bench/validation.bench.ts output. */
export interface OwnerValidationResult {
  readonly rawVerifyUs: number;
  readonly validateUs: number;
  readonly cacheHitUs: number;
}

/**
 * Reads the three summary lines that bench/validation.bench.ts prints (`raw verify 81.2 µs`,
 * `full validation 96.0 µs (ratio ...`, `cache hit 1.10 µs`). Undefined when its format changed:
 * the table then says so instead of guessing.
 */
export function parseOwnerValidationOutput(stdout: string): OwnerValidationResult | undefined {
  const number = (label: string) => {
    const match = new RegExp(`^${label}\\s+([0-9.]+)\\s*µs`, 'm').exec(stdout);
    return match ? Number(match[1]) : undefined;
  };
  const rawVerifyUs = number('raw verify');
  const validateUs = number('full validation');
  const cacheHitUs = number('cache hit');
  if (rawVerifyUs === undefined || validateUs === undefined || cacheHitUs === undefined) return undefined;
  return { rawVerifyUs, validateUs, cacheHitUs };
}
