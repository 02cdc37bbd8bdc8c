/**
 * structured-headers ships its types only behind package `exports`, which this repo's
 * `moduleResolution: node10` cannot see; its CommonJS build loads fine. So it is required here
 * with the two functions we use typed by hand (RFC 8941 items and lists).
 */
type BareItem = unknown;
type Item = [BareItem, Map<string, BareItem>];
type InnerList = [Item[], Map<string, BareItem>];

interface StructuredHeaders {
  parseItem(input: string): Item;
  parseList(input: string): Array<Item | InnerList>;
}

const structuredHeaders = require('structured-headers') as StructuredHeaders;

export const parseItem = (input: string): Item => structuredHeaders.parseItem(input);
export const parseList = (input: string): Array<Item | InnerList> => structuredHeaders.parseList(input);
