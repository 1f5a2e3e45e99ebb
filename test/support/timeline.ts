/**
 * Tests of the graph's history act at real instants. A write takes its instant from the clock in
 * milliseconds, so an instant recorded after one step and before the next must fall strictly
 * between them: each step starts past the millisecond its predecessor was recorded in.
 */
export const pause = () => new Promise((resolve) => setTimeout(resolve, 2));

/** Steps at real instants: `step` waits past the last recorded instant, runs, then records its own in `instants`. */
export function timeline(): { instants: Date[]; step(work: () => Promise<unknown>): Promise<void> } {
  const instants: Date[] = [];
  return {
    instants,
    async step(work) {
      await pause();
      await work();
      instants.push(new Date());
    },
  };
}

/** A record named by type and external id, and a relationship between two such, as a sync payload takes them. */
export const ref = (type: string, externalId: string) => ({ type, externalId });
export const rel = (type: string, from: [string, string], to: [string, string], properties?: Record<string, unknown>) => ({
  type,
  from: ref(...from),
  to: ref(...to),
  ...(properties ? { properties } : {}),
});
