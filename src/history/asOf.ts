import type { RequestGateway } from '../db/gateway';
import { badUserInput } from '../errors';

/** A client's clock may run a little ahead of ours: "now" sent from it is not the future. */
const CLOCK_SKEW_MS = 1_000;

export interface HistoryWindow {
  from: Date;
  to: Date;
}

const toDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));

/**
 * The instant a question is asked at, checked against what the graph can answer for: null for now;
 * before the oldest change set (the first record, or the retention horizon) or in the future, a
 * BAD_USER_INPUT naming the bounds, since any answer there would be invented.
 */
export async function checkAsOf(db: RequestGateway, asOf: Date | string | null | undefined, argument = 'asOf'): Promise<Date | null> {
  if (asOf === null || asOf === undefined) return null;
  const [instant] = await checkInstants(db, [[argument, toDate(asOf)]]);
  return instant;
}

/** Two instants in order (`from` before `to`), each checked as checkAsOf checks one. */
export async function checkWindow(db: RequestGateway, from: Date | string, to: Date | string, names: [string, string] = ['from', 'to']): Promise<HistoryWindow> {
  const [start, end] = await checkInstants(db, [
    [names[0], toDate(from)],
    [names[1], toDate(to)],
  ]);
  if (start.getTime() > end.getTime()) throw badUserInput(`${names[0]} (${start.toISOString()}) is after ${names[1]} (${end.toISOString()})`);
  return { from: start, to: end };
}

/**
 * The oldest instant the graph answers for, read once per request: a request that asks several
 * questions as of instants (aliases, nested fields, a window's two ends) pays one round trip.
 */
const horizons = new WeakMap<RequestGateway, Promise<Date | null>>();
function oldestInstant(db: RequestGateway): Promise<Date | null> {
  let horizon = horizons.get(db);
  if (!horizon) {
    horizon = db.read<{ oldest: Date | string | null }>('history/findHistoryBounds', {}).then(([{ oldest }]) => (oldest === null ? null : toDate(oldest)));
    horizons.set(db, horizon);
  }
  return horizon;
}

async function checkInstants(db: RequestGateway, instants: Array<[string, Date]>): Promise<Date[]> {
  const now = Date.now();
  for (const [name, instant] of instants) {
    if (Number.isNaN(instant.getTime())) throw badUserInput(`${name} is not a date-time`);
    if (instant.getTime() > now + CLOCK_SKEW_MS) throw badUserInput(`${name} (${instant.toISOString()}) is in the future: the graph knows only the past and the present`);
  }
  const horizon = await oldestInstant(db);
  for (const [name, instant] of instants) {
    if (horizon === null) throw badUserInput(`${name}: the graph has no history yet (no record was ever written)`);
    if (instant.getTime() < horizon.getTime()) {
      throw badUserInput(`${name} (${instant.toISOString()}) is before the oldest history the graph keeps (${horizon.toISOString()})`, [
        { path: name, message: `earliest answerable instant: ${horizon.toISOString()}` },
      ]);
    }
  }
  return instants.map(([, instant]) => instant);
}
