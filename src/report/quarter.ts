import { badUserInput } from '../errors';

/** A calendar quarter in UTC: 2026-Q4 runs from 1 October 2026 to 1 January 2027 (exclusive). */
export interface Quarter {
  label: string;
  year: number;
  /** 1 to 4. */
  number: number;
  start: Date;
  /** The first instant of the next quarter. */
  end: Date;
}

const QUARTER = /^(\d{4})-Q([1-4])$/;

export function quarterOf(year: number, number: number): Quarter {
  // Date.UTC rolls month 12 over into January of the next year.
  return { label: `${year}-Q${number}`, year, number, start: new Date(Date.UTC(year, (number - 1) * 3, 1)), end: new Date(Date.UTC(year, number * 3, 1)) };
}

/** The quarter an instant falls in. */
export const quarterAt = (instant: Date): Quarter => quarterOf(instant.getUTCFullYear(), Math.floor(instant.getUTCMonth() / 3) + 1);

/** The quarter `steps` before this one (1: the previous). */
export const quarterBefore = (quarter: Quarter, steps = 1): Quarter => {
  const index = quarter.year * 4 + quarter.number - 1 - steps;
  return quarterOf(Math.floor(index / 4), (index % 4) + 1);
};

/**
 * A quarter as a command or a URL names it (2026-Q4), one that has begun by `now`: a BAD_USER_INPUT
 * otherwise, since a report on a quarter to come would be invented. Whether the graph's history
 * reaches back to it is the GraphQL API's to say (its asOf bounds).
 */
export function parseQuarter(text: string, now: Date): Quarter {
  const match = QUARTER.exec(text);
  if (!match) throw badUserInput(`quarter must be a year and a quarter such as 2026-Q4 (Q1 to Q4), not "${text.slice(0, 40)}"`, [{ path: 'quarter', message: 'expected YYYY-Q1 to YYYY-Q4' }]);
  const quarter = quarterOf(Number(match[1]), Number(match[2]));
  if (quarter.start.getTime() > now.getTime()) {
    throw badUserInput(`quarter ${quarter.label} has not begun (it starts ${quarter.start.toISOString().slice(0, 10)}): the graph knows only the past and the present`, [
      { path: 'quarter', message: `latest reportable quarter: ${quarterAt(now).label}` },
    ]);
  }
  return quarter;
}

/**
 * The instant a quarter's figures are read at: its last millisecond (asOf is inclusive), or null
 * (now) while the quarter is still running.
 */
export const quarterInstant = (quarter: Quarter, now: Date): Date | null => (quarter.end.getTime() > now.getTime() ? null : new Date(quarter.end.getTime() - 1));
