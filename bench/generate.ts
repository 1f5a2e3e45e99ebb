/**
 * A seeded, synthetic AI estate for the benchmarks: a pure function from a relationship count to
 * syncInventory payloads. The same size and seed always give the same payloads, byte for byte.
 *
 * Shape: the estate is a set of business domains. Each domain has layered datasets (a raw layer and
 * 3 to 8 derivation layers, DERIVED_FROM chains), models trained, fine-tuned and evaluated on them,
 * some BASED_ON a shared foundation model PROVIDED_BY one of a few vendors (Zipf-weighted, so a
 * couple of vendors carry most of it), agents that use models, retrieve from datasets and invoke
 * each other, decisions those models and agents inform, owners, risks, controls with evidence, and
 * the odd incident. A few domains build on another domain's curated data. One designed "hot"
 * dataset (a customer master) feeds enough domains to give it a known blast radius.
 */
import { EntityType, Estate, IMPACT_DEPTH, Item, Ref, refKey, RelationshipInput, TYPE_ORDER } from './estate';
import { ImpactGraph } from './impactGraph';

export type SizeName = 'smoke' | 'small' | 'medium' | 'large';

/** Target relationship counts; the generator stops at the first domain that reaches it. */
export const SIZES: Record<SizeName, number> = { smoke: 1_500, small: 10_000, medium: 100_000, large: 1_000_000 };

/** mulberry32: tiny, fast, and good enough to make a synthetic estate look irregular. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Random {
  constructor(private readonly next: () => number) {}
  float(): number { return this.next(); }
  int(min: number, max: number): number { return min + Math.floor(this.next() * (max - min + 1)); }
  chance(p: number): boolean { return this.next() < p; }
  pick<T>(items: readonly T[]): T { return items[Math.floor(this.next() * items.length)]; }
  /** `count` distinct items (fewer when there are fewer). */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = [...items];
    const out: T[] = [];
    while (out.length < count && copy.length > 0) out.push(copy.splice(Math.floor(this.next() * copy.length), 1)[0]);
    return out;
  }
  /** Zipf-like: item i with weight 1/(i+1)^s, so the first few take most picks (vendor concentration). */
  zipf<T>(items: readonly T[], s = 1.3): T {
    const weights = items.map((_, i) => 1 / Math.pow(i + 1, s));
    let r = this.next() * weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < items.length; i += 1) {
      r -= weights[i];
      if (r <= 0) return items[i];
    }
    return items[items.length - 1];
  }
}

export function hotTarget(target: number): number {
  return Math.min(1_000, Math.max(50, Math.round(target / 40)));
}

export function generateEstate(target: number, seed = 20261124): Estate {
  const rnd = new Random(mulberry32(seed));
  const assets = Object.fromEntries(TYPE_ORDER.map((type) => [type, [] as Item[]])) as Record<EntityType, Item[]>;
  const relationships: RelationshipInput[] = [];
  const add = (type: EntityType, item: Item): Ref => {
    assets[type].push(item);
    return { type, externalId: item.externalId };
  };
  const link = (type: string, from: Ref, to: Ref, properties?: Record<string, unknown>) => {
    relationships.push(properties ? { type, from, to, properties } : { type, from, to });
  };

  // ---- Shared: vendors, foundation models, the hot dataset --------------------------------------
  const domainsEstimate = Math.max(4, Math.round(target / 130));
  const vendors = Array.from({ length: 6 + Math.floor(domainsEstimate / 200) }, (_, i) =>
    add('Vendor', { externalId: `vendor-${i}`, name: `Vendor ${i}`, services: ['model hosting', 'data'].slice(0, 1 + (i % 2)),
      riskRating: rnd.pick(['LOW', 'MEDIUM', 'HIGH']), dataProcessingAgreement: rnd.chance(0.8), dataResidency: rnd.pick(['EU', 'US', 'UK']) }));
  const platformOwner = add('Owner', { externalId: 'owner-platform', name: 'AI platform team', kind: 'TEAM', email: 'platform@example.com' });
  const foundations = Array.from({ length: Math.max(4, Math.floor(domainsEstimate / 25)) }, (_, i) => {
    const ref = add('AIModel', { externalId: `foundation-${i}`, name: `Foundation model ${i}`, modelVersion: `${1 + (i % 4)}.0`,
      task: 'general', modality: rnd.pick(['TEXT', 'MULTIMODAL', 'CODE']), lifecycleStage: 'APPROVED', riskTier: 'LIMITED', status: 'ACTIVE' });
    link('PROVIDED_BY', ref, rnd.zipf(vendors));
    link('OWNED_BY', ref, platformOwner);
    return ref;
  });
  const hot = add('Dataset', { externalId: 'hot-customer-master', name: 'Customer master (hot)', kind: 'TRAINING', classification: 'RESTRICTED',
    containsPersonalData: true, recordCount: 12_000_000, location: 's3://estate/customer-master', status: 'ACTIVE' });
  link('OWNED_BY', hot, platformOwner);

  // ---- Domains, until the relationship target is reached ----------------------------------------
  const curatedByDomain: Ref[][] = [];
  const rawByDomain: Ref[][] = [];
  let d = 0;
  while (relationships.length < target) {
    const p = `d${d}`;
    const owners = [
      add('Owner', { externalId: `${p}-team`, name: `Domain ${d} team`, kind: 'TEAM', email: `${p}@example.com` }),
      add('Owner', { externalId: `${p}-lead`, name: `Domain ${d} lead`, kind: 'PERSON', email: `${p}-lead@example.com`, role: 'Data owner' }),
    ];
    const own = (ref: Ref) => link('OWNED_BY', ref, rnd.pick(owners));
    const domainAssets: Ref[] = [];

    // Datasets: a raw layer and 3 to 8 derivation layers.
    const depth = rnd.int(3, 8);
    const layers: Ref[][] = [];
    for (let layer = 0; layer <= depth; layer += 1) {
      const width = layer === 0 ? rnd.int(2, 4) : rnd.int(2, 5);
      const row: Ref[] = [];
      for (let i = 0; i < width; i += 1) {
        const personal = layer === 0 ? rnd.chance(0.5) : rnd.chance(0.2);
        const ref = add('Dataset', { externalId: `${p}-ds-${layer}-${i}`, name: `Domain ${d} dataset L${layer}.${i}`,
          kind: layer === 0 ? 'LOG' : layer === depth ? 'TRAINING' : rnd.pick(['TRAINING', 'EVALUATION', 'SYNTHETIC', 'RETRIEVAL_CORPUS']),
          classification: rnd.pick(['INTERNAL', 'CONFIDENTIAL', 'RESTRICTED']), containsPersonalData: personal,
          recordCount: rnd.int(1_000, 5_000_000), location: `s3://estate/${p}/l${layer}/${i}`, status: 'ACTIVE', tags: [`domain-${d}`] });
        if (layer > 0) {
          for (const source of rnd.sample(layers[layer - 1], rnd.chance(0.6) ? 1 : 2)) link('DERIVED_FROM', ref, source, { transformation: rnd.pick(['dedupe', 'join', 'mask PII', 'aggregate', 'label']) });
          if (layer > 1 && rnd.chance(0.15)) link('DERIVED_FROM', ref, rnd.pick(layers[layer - 2]), { transformation: 'enrich' });
        } else if (rnd.chance(0.2)) {
          link('PROVIDED_BY', ref, rnd.zipf(vendors));
        }
        own(ref);
        row.push(ref);
        domainAssets.push(ref);
      }
      layers.push(row);
    }
    // Some domains build on another domain's curated data (a data product).
    if (d > 0 && rnd.chance(0.1)) link('DERIVED_FROM', layers[0][0], rnd.pick(rnd.pick(curatedByDomain)), { transformation: 'import' });
    const curated = [...layers[depth], ...(layers[depth - 1] ?? [])];
    const allDatasets = layers.flat();
    curatedByDomain.push(curated);
    rawByDomain.push(layers[0]);

    // Models.
    const models: Ref[] = [];
    for (let i = 0, n = rnd.int(4, 8); i < n; i += 1) {
      const ref = add('AIModel', { externalId: `${p}-model-${i}`, name: `Domain ${d} model ${i}`, modelVersion: `${rnd.int(1, 5)}.${rnd.int(0, 9)}.0`,
        task: rnd.pick(['classification', 'scoring', 'summarisation', 'extraction', 'forecasting']), modality: rnd.pick(['TEXT', 'TABULAR', 'IMAGE', 'TIME_SERIES']),
        lifecycleStage: rnd.pick(['TRAINING', 'VALIDATION', 'APPROVED', 'DEPLOYED', 'DEPLOYED', 'MONITORED']), riskTier: rnd.pick(['HIGH', 'LIMITED', 'MINIMAL', 'MINIMAL']), status: 'ACTIVE' });
      for (const ds of rnd.sample(curated, rnd.chance(0.5) ? 1 : 2)) link('TRAINED_ON', ref, ds);
      link('EVALUATED_ON', ref, rnd.pick(allDatasets.slice(Math.floor(allDatasets.length / 2))));
      if (rnd.chance(0.5)) {
        link('BASED_ON', ref, rnd.zipf(foundations));
        link('FINE_TUNED_ON', ref, rnd.pick(curated));
      } else if (models.length > 0 && rnd.chance(0.3)) {
        link('BASED_ON', ref, rnd.pick(models));
      }
      own(ref);
      models.push(ref);
      domainAssets.push(ref);
    }

    // Agents.
    const agents: Ref[] = [];
    for (let i = 0, n = rnd.int(2, 5); i < n; i += 1) {
      const ref = add('Agent', { externalId: `${p}-agent-${i}`, name: `Domain ${d} agent ${i}`, autonomyLevel: rnd.pick(['ASSISTIVE', 'SEMI_AUTONOMOUS', 'AUTONOMOUS']),
        humanOversight: rnd.pick(['HUMAN_IN_THE_LOOP', 'HUMAN_ON_THE_LOOP', 'NONE']), allowedTools: rnd.sample(['search', 'crm', 'email', 'sql', 'tickets'], 2), status: 'ACTIVE' });
      for (const model of rnd.sample(models, rnd.chance(0.7) ? 1 : 2)) link('USES_MODEL', ref, model);
      for (const ds of rnd.sample(allDatasets, rnd.int(1, 2))) link('RETRIEVES_FROM', ref, ds);
      for (const callee of rnd.sample(agents, rnd.int(0, 2))) link('CAN_INVOKE', ref, callee);
      if (agents.length > 0 && rnd.chance(0.1)) link('CAN_INVOKE', agents[0], ref); // the odd cycle
      if (rnd.chance(0.15)) link('PROVIDED_BY', ref, rnd.zipf(vendors));
      own(ref);
      agents.push(ref);
      domainAssets.push(ref);
    }

    // Decisions.
    for (let i = 0, n = rnd.int(3, 6); i < n; i += 1) {
      const ref = add('Decision', { externalId: `${p}-decision-${i}`, name: `Domain ${d} decision ${i}`, impactLevel: rnd.pick(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']),
        humanInTheLoop: rnd.chance(0.6), businessProcess: rnd.pick(['lending', 'claims', 'pricing', 'support', 'hiring']), affectedParties: ['customers'], status: 'ACTIVE' });
      for (const informer of rnd.sample([...models, ...agents], rnd.chance(0.5) ? 1 : 2)) link('INFORMS', informer, ref);
      own(ref);
      domainAssets.push(ref);
    }

    // Governance: risks, a control with evidence, the odd incident.
    const risks: Ref[] = [];
    for (let i = 0, n = rnd.int(1, 2); i < n; i += 1) {
      const likelihood = rnd.int(1, 5);
      const impact = rnd.int(1, 5);
      const ref = add('Risk', { externalId: `${p}-risk-${i}`, name: `Domain ${d} risk ${i}`, category: rnd.pick(['PROMPT_INJECTION', 'TRAINING_DATA_POISONING', 'HALLUCINATION', 'THIRD_PARTY', 'PROMPT_DATA_LEAKAGE']),
        likelihood, impact, residualScore: Math.max(1, likelihood * impact - rnd.int(0, 6)), treatment: 'MITIGATE', status: rnd.pick(['ASSESSED', 'TREATING', 'CLOSED']) });
      for (const asset of rnd.sample(domainAssets, rnd.int(2, 5))) link('THREATENS', ref, asset);
      own(ref);
      risks.push(ref);
    }
    const control = add('Control', { externalId: `${p}-control`, name: `Domain ${d} control`, implementationStatus: rnd.pick(['IMPLEMENTED', 'IMPLEMENTED', 'IN_PROGRESS', 'PLANNED']),
      controlType: rnd.pick(['PREVENTIVE', 'DETECTIVE', 'CORRECTIVE']), lastTestedAt: '2026-09-01T00:00:00Z' });
    for (const asset of rnd.sample(domainAssets, rnd.int(2, 4))) link('APPLIES_TO', control, asset);
    for (const risk of risks) link('MITIGATED_BY', risk, control);
    own(control);
    const evidence = add('Evidence', { externalId: `${p}-evidence`, name: `Domain ${d} evidence`, kind: rnd.pick(['TEST_RESULT', 'AUDIT_REPORT', 'DOCUMENT']),
      uri: `https://evidence.example/${p}.pdf`, collectedAt: '2026-06-01T00:00:00Z', expiresAt: rnd.chance(0.8) ? '2027-06-01T00:00:00Z' : '2026-01-01T00:00:00Z' });
    link('SUPPORTS', evidence, control);
    own(evidence);
    if (rnd.chance(0.2)) {
      const incident = add('Incident', { externalId: `${p}-incident`, name: `Domain ${d} incident`, severity: rnd.pick(['LOW', 'MEDIUM', 'HIGH']), status: rnd.pick(['OPEN', 'RESOLVED', 'CLOSED']),
        detectedAt: '2026-03-01T09:00:00Z' });
      link('INVOLVES', incident, rnd.pick(domainAssets));
      own(incident);
    }
    d += 1;
  }

  // ---- The hot dataset: feed domains' raw layers from it until its radius reaches the target ----
  const graph = new ImpactGraph(relationships);
  const wanted = hotTarget(target);
  const order = rnd.sample(rawByDomain.map((_, i) => i), rawByDomain.length);
  let radius = 0;
  for (const domain of order) {
    if (radius >= wanted) break;
    const rel: RelationshipInput = { type: 'DERIVED_FROM', from: rawByDomain[domain][0], to: hot, properties: { transformation: 'join customers' } };
    relationships.push(rel);
    graph.add(rel);
    radius = graph.radius(hot, IMPACT_DEPTH);
  }

  // A typical root: a raw dataset of a domain the hot one does not feed, with a non-trivial radius.
  const fedByHot = new Set(relationships.filter((r) => r.to === hot).map((r) => refKey(r.from)));
  const candidates = rawByDomain.map((raw) => raw[0]).filter((ref) => !fedByHot.has(refKey(ref)));
  const step = Math.max(1, Math.floor(candidates.length / 40));
  const sampled = candidates.filter((_, i) => i % step === 0).map((ref) => ({ ref, radius: graph.radius(ref, IMPACT_DEPTH) }));
  const nonTrivial = sampled.filter((root) => root.radius > 0).sort((a, b) => a.radius - b.radius);
  const typical = nonTrivial[Math.floor(nonTrivial.length / 2)] ?? sampled[0];
  const foundation = foundations
    .map((ref) => ({ ref, radius: graph.radius(ref, IMPACT_DEPTH) }))
    .sort((a, b) => Math.abs(a.radius - 100) - Math.abs(b.radius - 100) || a.ref.externalId.localeCompare(b.ref.externalId))[0];
  // The deepest lineage: the decision (of the first few domains) with the most upstream records.
  const decisions = assets.Decision.slice(0, 40).map((item) => ({ type: 'Decision' as const, externalId: item.externalId }));
  const upstream = decisions.map((ref) => ({ ref, radius: graph.upstreamRadius(ref, IMPACT_DEPTH) })).sort((a, b) => b.radius - a.radius)[0];

  const countsByType: Record<string, number> = {};
  for (const type of TYPE_ORDER) countsByType[type] = assets[type].length;
  for (const rel of relationships) countsByType[rel.type] = (countsByType[rel.type] ?? 0) + 1;

  return {
    seed,
    target,
    domains: d,
    assets,
    relationships,
    assetCount: TYPE_ORDER.reduce((sum, type) => sum + assets[type].length, 0),
    hot: { ref: hot, radius, label: 'hot dataset' },
    typical: { ...typical, label: 'typical raw dataset (median radius)' },
    foundation: { ...foundation, label: 'foundation model (radius nearest 100)' },
    deepest: { ref: upstream.ref, radius: upstream.radius, label: 'deepest decision (upstream)' },
    countsByType,
  };
}
