/**
 * Longest text any field of a decision holds, in UTF-16 code units. Subjects, issuers, SANs and
 * header text in refusal reasons are the client's choice: a certificate can carry a 48 KB
 * subject, and every refused request would write it to the log again.
 */
export const MAX_DECISION_FIELD_LENGTH = 512;

/** `text`, or its start with a marker saying how long it was; never longer than the bound. */
export function boundText(text: string): string {
  if (text.length <= MAX_DECISION_FIELD_LENGTH) return text;
  const marker = `…(${text.length} chars)`;
  return text.slice(0, MAX_DECISION_FIELD_LENGTH - marker.length) + marker;
}

/**
 * Bounds every string field of a decision, and of the objects in it (one level: `revocation`),
 * in place; the fields within the bound are left as they are. Run once per cold decision, when
 * it is complete (the warm path stores and replays the bounded fields).
 */
export function boundDecisionFields<T extends object>(decision: T): T {
  // for-in over plain objects, no key or value arrays: this runs on every cold decision.
  const fields = decision as Record<string, unknown>;
  for (const key in fields) {
    const value = fields[key];
    if (typeof value === 'string') {
      if (value.length > MAX_DECISION_FIELD_LENGTH) fields[key] = boundText(value);
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value) && holdsLongText(value as Record<string, unknown>)) {
      fields[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? boundText(v) : v]));
    }
  }
  return decision;
}

function holdsLongText(fields: Record<string, unknown>): boolean {
  for (const key in fields) {
    const value = fields[key];
    if (typeof value === 'string' && value.length > MAX_DECISION_FIELD_LENGTH) return true;
  }
  return false;
}
