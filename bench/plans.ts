import type { SizeName } from './generate';
import type { Plan } from './measure/harness';

/** How long and how hard each size is measured, and the Neo4j memory it gets. */
export const PLANS: Record<SizeName, Plan> = {
  smoke: { size: 'smoke', warmup: 2, iterations: 5, connections: 4, seconds: 1, heap: '1g', pageCache: '256m', claimingControls: 5, budgetMs: 1_500, minSamples: 3 },
  small: { size: 'small', warmup: 20, iterations: 100, connections: 10, seconds: 10, heap: '1g', pageCache: '512m', claimingControls: 60, budgetMs: 20_000, minSamples: 30 },
  medium: { size: 'medium', warmup: 20, iterations: 200, connections: 10, seconds: 10, heap: '2g', pageCache: '2g', claimingControls: 100, budgetMs: 30_000, minSamples: 30 },
  large: { size: 'large', warmup: 20, iterations: 200, connections: 10, seconds: 10, heap: '6g', pageCache: '6g', claimingControls: 300, budgetMs: 30_000, minSamples: 30 },
};
