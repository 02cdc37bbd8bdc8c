/**
 * Header formats, as options and the CLI spell them. Each trusted proxy profile names exactly
 * one; a format is never guessed from a request.
 */
export const HEADER_FORMATS = ['rfc9440', 'xfcc', 'url-pem', 'pem', 'base64-der', 'gcp'] as const;

export type HeaderFormat = (typeof HEADER_FORMATS)[number];
