import * as parser from '../certificate/certificate.parser';

/**
 * The parseCertificate spy that a spec installs with
 * `jest.mock('../certificate/certificate.parser', …)` (SWC's CommonJS exports cannot be redefined
 * by jest.spyOn), with its calls so far forgotten: it counts from here, as a fresh spy would.
 */
export function clearedParseSpy(): jest.Mock {
  const spy = parser.parseCertificate as unknown as jest.Mock;
  if (!jest.isMockFunction(spy)) throw new Error('mock ../certificate/certificate.parser in this spec first');
  return spy.mockClear();
}
