import type { InputProblem } from '../errors';
import type { Rating, RiskCategory, SignalKind } from '../generated/graphql';
import { ENTITY_TYPES, EntityRow, EntityType, entityKey, isAssetType } from '../estate/model';
import { checkName, checkNumber, checkText } from '../inputLimits';

/**
 * What a batch of monitoring signals decides, as pure functions: which signals are well formed,
 * which asset and tool each names, the hourly buckets they add to, the ones kept one by one, and
 * which rules they make cross their threshold. The service reads and writes around these.
 */

export const SIGNAL_KINDS: readonly SignalKind[] = [
  'DRIFT',
  'PERFORMANCE_DROP',
  'ANOMALY',
  'PROMPT_INJECTION_ATTEMPT',
  'JAILBREAK_ATTEMPT',
  'DATA_LEAK_DETECTION',
  'POLICY_VIOLATION',
  'TOOL_CALL_DENIED',
  'GUARDRAIL_BLOCK',
  'UNEXPECTED_ACTION',
  'TOOL_USE',
];
export const SEVERITIES: readonly Rating[] = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
/** Signals at or above this severity are kept one by one as well as counted. */
export const KEPT_SEVERITY = SEVERITIES.indexOf('HIGH');
export const HOUR_MS = 3_600_000;
/** A monitoring tool's clock may run a little ahead of ours: as checkAsOf allows. */
const CLOCK_SKEW_MS = 1_000;

/** The incident category a rule opens by default, when it names none: the playbook's scenario. */
export const DEFAULT_CATEGORY: Record<SignalKind, RiskCategory> = {
  DRIFT: 'TRAINING_DATA_POISONING',
  PERFORMANCE_DROP: 'TRAINING_DATA_POISONING',
  ANOMALY: 'ADVERSARIAL_INPUT',
  PROMPT_INJECTION_ATTEMPT: 'PROMPT_INJECTION',
  JAILBREAK_ATTEMPT: 'PROMPT_INJECTION',
  DATA_LEAK_DETECTION: 'PROMPT_DATA_LEAKAGE',
  POLICY_VIOLATION: 'AGENT_MISFIRE',
  TOOL_CALL_DENIED: 'AGENT_MISFIRE',
  GUARDRAIL_BLOCK: 'ADVERSARIAL_INPUT',
  UNEXPECTED_ACTION: 'AGENT_MISFIRE',
  TOOL_USE: 'AGENT_MISFIRE',
};

/** A record named by id, or by type, external id and (default: the call's) source. */
export type RecordRef = { id: string } | { type: EntityType; externalId: string; source: string };

export interface CheckedSignal {
  path: string;
  kind: SignalKind;
  asset: RecordRef;
  /** ISO, and as milliseconds. */
  at: string;
  atMs: number;
  value: number | null;
  count: number;
  severity: Rating;
  evidenceUrl: string | null;
  tool: RecordRef | null;
}

/** A signal whose asset (and tool) were found. */
export interface ResolvedSignal extends CheckedSignal {
  assetId: string;
  toolId: string | null;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function checkRef(value: unknown, source: string, path: string, problems: InputProblem[]): RecordRef | null {
  // Over HTTP an asset may be given as its id alone.
  if (typeof value === 'string') return checkName(value, path, problems) === null ? null : { id: value.trim() };
  if (!isObject(value)) {
    problems.push({ path, message: 'give an id, or type and externalId (and source when another source wrote it)' });
    return null;
  }
  if (value.id !== undefined && value.id !== null) {
    const id = checkName(value.id, `${path}.id`, problems);
    return id === null ? null : { id };
  }
  if (typeof value.type !== 'string' || !ENTITY_TYPES.includes(value.type as EntityType)) {
    problems.push({ path: `${path}.type`, message: `give an id, or a type (${ENTITY_TYPES.join(', ')}) and externalId` });
    return null;
  }
  const externalId = checkName(value.externalId, `${path}.externalId`, problems);
  const refSource = value.source === undefined || value.source === null ? source : checkName(value.source, `${path}.source`, problems);
  return externalId === null || refSource === null ? null : { type: value.type as EntityType, externalId, source: refSource };
}

/**
 * Checks each signal as it arrived (GraphQL has already coerced its enums and instants; JSON lines
 * have not), collecting every problem: an unknown kind or severity, a time that is not one or is
 * in the future, a count below 1, a value that is not a finite number.
 */
export function checkSignals(items: readonly unknown[], source: string, now: number, pathOf: (index: number) => string): { signals: CheckedSignal[]; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const signals: CheckedSignal[] = [];
  items.forEach((item, index) => {
    const path = pathOf(index);
    const before = problems.length;
    if (!isObject(item)) {
      problems.push({ path, message: 'a signal is an object with kind, asset and at' });
      return;
    }
    const kind = item.kind as SignalKind;
    if (!SIGNAL_KINDS.includes(kind)) problems.push({ path: `${path}.kind`, message: `unknown kind ${JSON.stringify(item.kind)}; one of ${SIGNAL_KINDS.join(', ')}` });
    const asset = checkRef(item.asset, source, `${path}.asset`, problems);
    const atMs = item.at instanceof Date ? item.at.getTime() : typeof item.at === 'string' && item.at.trim() !== '' ? Date.parse(item.at) : Number.NaN;
    if (Number.isNaN(atMs)) problems.push({ path: `${path}.at`, message: 'must be a date-time, e.g. 2026-11-30T16:40:00Z' });
    else if (atMs > now + CLOCK_SKEW_MS) problems.push({ path: `${path}.at`, message: `${new Date(atMs).toISOString()} is in the future: a signal reports what was seen` });
    const value = item.value === undefined || item.value === null ? null : item.value;
    if (value !== null && typeof value !== 'number') problems.push({ path: `${path}.value`, message: 'must be a number' });
    else if (value !== null) checkNumber(value, `${path}.value`, problems);
    const count = item.count === undefined || item.count === null ? 1 : item.count;
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1) problems.push({ path: `${path}.count`, message: 'must be an integer of at least 1' });
    const severity = (item.severity === undefined || item.severity === null ? 'LOW' : item.severity) as Rating;
    if (!SEVERITIES.includes(severity)) problems.push({ path: `${path}.severity`, message: `must be one of ${SEVERITIES.join(', ')}` });
    const evidenceUrl = item.evidenceUrl === undefined || item.evidenceUrl === null ? null : item.evidenceUrl;
    if (evidenceUrl !== null) {
      if (typeof evidenceUrl !== 'string' || !/^https?:\/\/\S+$/i.test(evidenceUrl)) problems.push({ path: `${path}.evidenceUrl`, message: 'must be an http(s) URL' });
      else checkText(evidenceUrl, `${path}.evidenceUrl`, problems);
    }
    const tool = item.tool === undefined || item.tool === null ? null : checkRef(item.tool, source, `${path}.tool`, problems);
    if ((item.tool === undefined || item.tool === null) && kind === 'TOOL_USE') problems.push({ path: `${path}.tool`, message: 'TOOL_USE names the tool used' });
    if (problems.length > before) return;
    signals.push({ path, kind, asset: asset!, at: new Date(atMs).toISOString(), atMs, value: value as number | null, count: count as number, severity, evidenceUrl: evidenceUrl as string | null, tool });
  });
  return { signals, problems };
}

/** The keys and ids a batch's references need looked up. */
export function referencedKeys(signals: readonly CheckedSignal[]): { ids: string[]; keys: string[] } {
  const refs = signals.flatMap((signal) => (signal.tool ? [signal.asset, signal.tool] : [signal.asset]));
  const ids = refs.flatMap((ref) => ('id' in ref ? [ref.id] : []));
  const keys = refs.flatMap((ref) => ('id' in ref ? [] : [entityKey(ref.type, ref.source, ref.externalId)]));
  return { ids: [...new Set(ids)], keys: [...new Set(keys)] };
}

const refKey = (ref: RecordRef) => ('id' in ref ? `id:${ref.id}` : entityKey(ref.type, ref.source, ref.externalId));

/** What a batch reads of each record its signals name: whole records would cost it a fifth of its time. */
export type SignalSubject = Pick<EntityRow, 'id' | 'key' | 'type' | 'name' | 'source'> & { riskTier?: string | null };

/**
 * Each signal's asset and tool among the records found. An asset must be an asset type of the
 * call's source (`forbidden` lists those of another source: the caller may not speak for them);
 * a tool must be a Tool, of any source.
 */
export function resolveSignals(
  signals: readonly CheckedSignal[],
  found: readonly SignalSubject[],
  source: string,
): { resolved: ResolvedSignal[]; problems: InputProblem[]; forbidden: InputProblem[] } {
  const byRef = new Map<string, SignalSubject>();
  for (const row of found) {
    byRef.set(`id:${row.id}`, row);
    byRef.set(row.key, row);
  }
  const problems: InputProblem[] = [];
  const forbidden: InputProblem[] = [];
  const resolved: ResolvedSignal[] = [];
  for (const signal of signals) {
    const asset = byRef.get(refKey(signal.asset));
    const tool = signal.tool ? byRef.get(refKey(signal.tool)) : undefined;
    const before = problems.length + forbidden.length;
    if (!asset) problems.push({ path: `${signal.path}.asset`, message: `no record ${describe(signal.asset)}` });
    else if (!isAssetType(asset.type)) problems.push({ path: `${signal.path}.asset`, message: `${asset.type} "${asset.name}" is not an asset` });
    else if (asset.source !== source) forbidden.push({ path: `${signal.path}.asset`, message: `${asset.type} "${asset.name}" belongs to source "${asset.source}", not "${source}"` });
    if (signal.tool && !tool) problems.push({ path: `${signal.path}.tool`, message: `no record ${describe(signal.tool)}` });
    else if (tool && tool.type !== 'Tool') problems.push({ path: `${signal.path}.tool`, message: `${tool.type} "${tool.name}" is not a Tool` });
    if (problems.length + forbidden.length > before) continue;
    resolved.push({ ...signal, assetId: asset!.id, toolId: tool?.id ?? null });
  }
  return { resolved, problems, forbidden };
}

const describe = (ref: RecordRef) => ('id' in ref ? `with id ${ref.id}` : `${ref.type} "${ref.externalId}" in source "${ref.source}"`);

export const hourOf = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;

/** What one batch adds to one bucket (asset, kind, tool, hour). */
export interface BucketRow {
  key: string;
  assetId: string;
  kind: SignalKind;
  toolId: string | null;
  windowStart: string;
  count: number;
  minValue: number | null;
  maxValue: number | null;
  /** The batch's latest value in the hour, and when it was seen; null when none carried one. */
  lastValue: number | null;
  lastValueAt: string | null;
  lastAt: string;
  severityRank: number;
}

export const bucketKey = (assetId: string, kind: SignalKind, toolId: string | null, windowStart: number) => `${assetId}|${kind}|${toolId ?? ''}|${windowStart}`;

/** The batch folded into buckets, in key order (so that concurrent batches lock them in one order). */
export function bucketRows(signals: readonly ResolvedSignal[]): BucketRow[] {
  const rows = new Map<string, BucketRow & { lastAtMs: number; lastValueAtMs: number }>();
  for (const signal of signals) {
    const start = hourOf(signal.atMs);
    const key = bucketKey(signal.assetId, signal.kind, signal.toolId, start);
    let row = rows.get(key);
    if (!row) {
      row = {
        key,
        assetId: signal.assetId,
        kind: signal.kind,
        toolId: signal.toolId,
        windowStart: new Date(start).toISOString(),
        count: 0,
        minValue: null,
        maxValue: null,
        lastValue: null,
        lastValueAt: null,
        lastAt: signal.at,
        severityRank: 0,
        lastAtMs: signal.atMs,
        lastValueAtMs: Number.NEGATIVE_INFINITY,
      };
      rows.set(key, row);
    }
    row.count += signal.count;
    row.severityRank = Math.max(row.severityRank, SEVERITIES.indexOf(signal.severity));
    if (signal.atMs >= row.lastAtMs) {
      row.lastAtMs = signal.atMs;
      row.lastAt = signal.at;
    }
    if (signal.value !== null) {
      row.minValue = row.minValue === null ? signal.value : Math.min(row.minValue, signal.value);
      row.maxValue = row.maxValue === null ? signal.value : Math.max(row.maxValue, signal.value);
      if (signal.atMs >= row.lastValueAtMs) {
        row.lastValueAtMs = signal.atMs;
        row.lastValue = signal.value;
        row.lastValueAt = signal.at;
      }
    }
  }
  return [...rows.values()].sort((a, b) => (a.key < b.key ? -1 : 1)).map(({ lastAtMs: _lastAtMs, lastValueAtMs: _lastValueAtMs, ...row }) => row);
}

/** A rule as the ingestion reads it (a SignalRule record's fields). */
export interface RuleRow extends EntityRow {
  signalKind: SignalKind;
  riskTier?: string | null;
  threshold: number;
  windowHours?: number | null;
  category?: RiskCategory | null;
  incidentSeverity?: Rating | null;
  markCompromised?: boolean | null;
  enabled?: boolean | null;
}

/** A window a rule looks at after this batch: the hours from `from` to `to` (starts, inclusive). */
export interface RuleWindow {
  rule: RuleRow;
  assetId: string;
  kind: SignalKind;
  from: string;
  to: string;
  /** When the window's latest signal of the batch was seen: when the threshold would be crossed. */
  at: string;
  /** What this batch added to the window. */
  added: number;
}

export const ruleWindowHours = (rule: RuleRow) => rule.windowHours ?? 1;

/**
 * The windows the batch's rules must count: for each asset and kind the batch reports, each
 * enabled rule of that kind whose tier is the asset's (or that names none), over its window of
 * whole hours ending with the hour of the batch's latest signal of that kind on that asset.
 */
export function ruleWindows(signals: readonly ResolvedSignal[], rules: readonly RuleRow[], assets: ReadonlyMap<string, SignalSubject>): RuleWindow[] {
  const latest = new Map<string, ResolvedSignal>();
  for (const signal of signals) {
    const key = `${signal.assetId}|${signal.kind}`;
    const kept = latest.get(key);
    if (!kept || signal.atMs > kept.atMs) latest.set(key, signal);
  }
  const windows: RuleWindow[] = [];
  for (const last of latest.values()) {
    const asset = assets.get(last.assetId)!;
    for (const rule of rules) {
      if (rule.enabled === false || rule.signalKind !== last.kind) continue;
      if (rule.riskTier && rule.riskTier !== asset.riskTier) continue;
      const to = hourOf(last.atMs);
      const from = to - (ruleWindowHours(rule) - 1) * HOUR_MS;
      const added = signals
        .filter((signal) => signal.assetId === last.assetId && signal.kind === last.kind && hourOf(signal.atMs) >= from && hourOf(signal.atMs) <= to)
        .reduce((sum, signal) => sum + signal.count, 0);
      windows.push({ rule, assetId: last.assetId, kind: last.kind, from: new Date(from).toISOString(), to: new Date(to).toISOString(), at: last.at, added });
    }
  }
  return windows;
}

export interface Crossing extends RuleWindow {
  count: number;
}

/**
 * The windows this batch took from below a rule's threshold to at or above it. `counts` are the
 * windows' totals once the batch is written, read under the lock of the bucket the batch wrote
 * last: a batch that only adds to a window already over the threshold fires nothing again.
 */
export function crossings(windows: readonly RuleWindow[], counts: readonly number[]): Crossing[] {
  return windows
    .map((window, index) => ({ ...window, count: counts[index] }))
    .filter((window) => window.count - window.added < window.rule.threshold && window.count >= window.rule.threshold)
    .sort((a, b) => (a.assetId < b.assetId ? -1 : a.assetId > b.assetId ? 1 : a.rule.name < b.rule.name ? -1 : a.rule.name > b.rule.name ? 1 : a.rule.id < b.rule.id ? -1 : 1));
}

/** What the incident a crossing opens says about it, and what its audit gives as the reason. */
export function crossingReason(crossing: Crossing, asset: SignalSubject): string {
  const hours = ruleWindowHours(crossing.rule);
  return `Signal rule "${crossing.rule.name}": ${crossing.count} ${crossing.kind} signal(s) on ${asset.type} "${asset.name}" within ${hours} hour(s) up to ${crossing.at} (threshold ${crossing.rule.threshold})`;
}
