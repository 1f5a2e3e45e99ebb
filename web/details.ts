/** The side panel's contents: a record's details, a cluster's members, an impact's decisions. */
import { el, formatValue, words } from './dom';
import type { LineageNode } from './model';

type Value = unknown;
type RecordFields = Record<string, Value> & { id: string; __typename: string; name: string };

/** Fields shown in their own sections, or as the heading, rather than in the table of fields. */
const SECTIONED = new Set(['id', '__typename', 'name', 'owners', 'risks', 'controls', 'incidents', 'history', 'evidence', 'description']);

export interface RecordActions {
  recentre(): void;
  expand(): void;
}

const section = (title: string, ...content: Array<Node | string | null>) => el('section', {}, el('h3', {}, title), ...content);

function list<T>(items: T[] | undefined, render: (item: T) => Node | string): Node {
  return !items || items.length === 0 ? el('p', { class: 'muted' }, 'none') : el('ul', {}, ...items.map((item) => el('li', {}, render(item))));
}

function evidenceLine(evidence: { name: string; expiresAt?: string | null; expired?: boolean }): Node {
  return el(
    'span',
    {},
    evidence.name,
    ' ',
    el('span', { class: evidence.expired ? 'badge bad' : 'badge' }, evidence.expired ? `expired ${formatValue(evidence.expiresAt)}` : evidence.expiresAt ? `expires ${formatValue(evidence.expiresAt)}` : 'no expiry'),
  );
}

export function recordDetails(record: RecordFields, actions: RecordActions, why?: { distance: number; text: string }): Node {
  const fields = Object.entries(record).filter(([name, value]) => !SECTIONED.has(name) && (typeof value !== 'object' || value === null || Array.isArray(value)));
  const owners = record.owners as Array<{ name: string; kind?: string; email?: string | null; role?: string | null }> | undefined;
  const risks = record.risks as Array<{ name: string; category?: string; residualScore?: number | null; status?: string }> | undefined;
  const controls = record.controls as Array<{ name: string; implementationStatus?: string; evidence: Array<{ name: string; expiresAt?: string | null; expired?: boolean }> }> | undefined;
  const incidents = record.incidents as Array<{ name: string; severity?: string; status?: string; detectedAt?: string }> | undefined;
  const evidence = record.evidence as Array<{ name: string; expiresAt?: string | null; expired?: boolean }> | undefined;
  const history = record.history as Array<{ at: string; actor: string; action: string; reason?: string | null; relationshipType?: string | null; changes: Array<{ field: string }> }> | undefined;
  return el(
    'div',
    { class: 'record', 'data-record-id': record.id },
    el('h2', {}, el('span', { class: `type-dot type-${record.__typename}` }), record.name),
    el('p', { class: 'muted' }, record.__typename),
    el(
      'p',
      { class: 'actions' },
      el('button', { type: 'button', onclick: actions.recentre }, 'Centre the drawing here'),
      ' ',
      el('button', { type: 'button', onclick: actions.expand }, 'Expand its neighbours'),
      ' ',
      el('a', { href: `/explore?id=${encodeURIComponent(record.id)}&mode=impact` }, 'Impact'),
    ),
    why ? section('Why it is reached', el('p', { class: 'path' }, why.text), el('p', { class: 'muted' }, `${why.distance} hop${why.distance === 1 ? '' : 's'} away`)) : null,
    record.description ? el('p', {}, String(record.description)) : null,
    section('Fields', el('dl', {}, ...fields.flatMap(([name, value]) => [el('dt', {}, words(name)), el('dd', {}, formatValue(value))]))),
    section('Owners', list(owners, (owner) => [owner.name, owner.role, owner.email].filter(Boolean).join(' · '))),
    risks ? section('Risks', list(risks, (risk) => `${risk.name} (${[risk.category, risk.status, risk.residualScore !== null && risk.residualScore !== undefined ? `residual ${risk.residualScore}` : ''].filter(Boolean).join(', ')})`)) : null,
    controls
      ? section('Controls and their evidence', list(controls, (control) => el('span', {}, `${control.name} (${formatValue(control.implementationStatus)})`, list(control.evidence, evidenceLine))))
      : null,
    evidence ? section('Evidence', list(evidence, evidenceLine)) : null,
    incidents ? section('Incidents', list(incidents, (incident) => `${incident.name} (${[incident.severity, incident.status, formatValue(incident.detectedAt)].join(', ')})`)) : null,
    section(
      'History',
      list(history, (event) => `${formatValue(event.at)} ${event.action}${event.relationshipType ? ` ${event.relationshipType}` : ''} by ${event.actor}${event.changes.length ? `: ${event.changes.map((change) => change.field).join(', ')}` : ''}${event.reason ? ` (${event.reason})` : ''}`),
    ),
  );
}

export function clusterDetails(type: string, members: LineageNode[], pick: (id: string) => void, drawAll: () => void): Node {
  return el(
    'div',
    { class: 'cluster' },
    el('h2', {}, `${members.length} ${type} records grouped`),
    el('p', {}, 'Past the node budget, the farthest records are drawn as one node per type. They are all in the List tab.'),
    el('p', {}, el('button', { type: 'button', onclick: drawAll }, 'Draw every record')),
    el('ul', {}, ...members.map((member) => el('li', {}, el('button', { type: 'button', class: 'link', onclick: () => pick(member.entity.id) }, member.entity.name), ` · ${member.distance} hops`))),
  );
}

export interface ReachedDecision {
  decision: { id: string; name: string };
  impactLevel: string | null;
  humanInTheLoop: boolean | null;
  distance: number;
}

export function impactSummary(count: number, truncated: boolean, decisions: ReachedDecision[], pick: (id: string) => void): Node {
  return el(
    'div',
    { class: 'impact' },
    el('h2', {}, 'Impact'),
    el('p', {}, `${count} records depend on it${truncated ? ' (cut at the node limit)' : ''}; ${decisions.length} business decisions among them.`),
    el(
      'table',
      { class: 'decisions' },
      el('caption', {}, 'Decisions reached'),
      el('thead', {}, el('tr', {}, el('th', {}, 'Decision'), el('th', {}, 'Impact level'), el('th', {}, 'Person in the loop'), el('th', {}, 'Hops'))),
      el(
        'tbody',
        {},
        ...decisions.map((item) =>
          el(
            'tr',
            { 'data-decision-id': item.decision.id },
            el('td', {}, el('button', { type: 'button', class: 'link', onclick: () => pick(item.decision.id) }, item.decision.name)),
            el('td', {}, formatValue(item.impactLevel)),
            el('td', {}, formatValue(item.humanInTheLoop)),
            el('td', {}, item.distance),
          ),
        ),
      ),
    ),
    el('p', { class: 'muted' }, 'Select a record for the path that explains why it is reached.'),
  );
}
