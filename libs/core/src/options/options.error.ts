/**
 * A configuration mistake found at bootstrap. The message names the option and says how to
 * fix it; the application does not start.
 */
export class ClientCertOptionsError extends Error {
  override readonly name = 'ClientCertOptionsError';

  constructor(option: string, problem: string, fix: string) {
    super(`ClientCertAuthModule: ${option} ${problem}. ${fix}`);
  }
}
