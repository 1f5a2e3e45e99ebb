import { badUserInput } from '../errors';

/**
 * The source of the security programme's own records: the demo's playbooks and policies, and the
 * declarations of discovery sources. markCompromised prefers its playbooks.
 */
export const PROGRAMME_SOURCE = 'programme';

/** A client's clock may run a little ahead of ours (as history/asOf.ts allows). */
const CLOCK_SKEW_MS = 1_000;

/**
 * When something happened, as a caller states it (a step's or an acknowledgement's time, a fact
 * stored on the record, not an instant to read the graph at, so it may precede the graph's
 * history): a valid instant, not in the future; a clock a little ahead names now. Null: now.
 */
export function checkPastInstant(value: Date | string | null | undefined, path: string, now: number): string {
  if (value === null || value === undefined) return new Date(now).toISOString();
  const instant = value instanceof Date ? value.getTime() : Date.parse(value);
  if (Number.isNaN(instant)) throw badUserInput(`${path} is not a date-time`, [{ path, message: 'not a date-time' }]);
  if (instant > now + CLOCK_SKEW_MS) throw badUserInput(`${path} (${new Date(instant).toISOString()}) is in the future`, [{ path, message: 'must not be in the future' }]);
  return new Date(Math.min(instant, now)).toISOString();
}
