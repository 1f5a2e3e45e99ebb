/** /explore/coverage: a framework's coverage map, scoped like the API, and each requirement's story. */
import { graphql } from './api';
import { byId, el, formatValue, mountKeyForm, refreshPlaygroundLink, replace, say, sayError } from './dom';
import { COVERAGE, FRAMEWORKS, RELATED_REQUIREMENTS } from './queries';
import { mountSearch } from './search';

interface Named {
  id: string;
  name: string;
}
interface CoverageItem {
  status: string;
  group: string;
  requirement: { key: string; identifier: string; title: string; summary: string | null; kind: string };
  notApplicable: { rationale: string; declaredBy: string; declaredAt: string } | null;
  controls: Array<{
    coverage: string;
    rationale: string | null;
    control: Named & { implementationStatus: string | null; appliesTo: Array<Named & { __typename: string }> };
    evidence: Array<Named & { expiresAt: string | null; expired: boolean }>;
    owners: Named[];
  }>;
}
interface CoverageMap {
  framework: { key: string; name: string; version: string; attribution: string | null };
  riskTier: string | null;
  total: number;
  counts: Array<{ status: string; count: number; percent: number }>;
  groups: Array<{ identifier: string; title: string | null; total: number }>;
  items: CoverageItem[];
}
interface Related {
  direct: boolean;
  hops: number;
  requirement: { key: string; identifier: string; title: string; framework: { key: string; name: string } };
}

const STATUS_WORDS: Record<string, string> = { SATISFIED: 'satisfied', PARTIAL: 'partial', GAP: 'gap', NOT_APPLICABLE: 'not applicable' };

const frameworkSelect = byId<HTMLSelectElement>('framework');
const riskTier = byId<HTMLSelectElement>('risk-tier');
const params = new URLSearchParams(location.search);
let asset: { id: string; name: string } | null = params.get('assetId') ? { id: params.get('assetId')!, name: '' } : null;
let map: CoverageMap | undefined;

function scopeToUrl(): void {
  const next = new URLSearchParams({ framework: frameworkSelect.value });
  if (riskTier.value) next.set('riskTier', riskTier.value);
  if (asset) next.set('assetId', asset.id);
  history.replaceState(null, '', `${location.pathname}?${next}`);
}

function renderMap(current: CoverageMap): void {
  const byGroup = new Map<string, CoverageItem[]>();
  for (const item of current.items) byGroup.set(item.group, [...(byGroup.get(item.group) ?? []), item]);
  replace(
    byId('map'),
    el('h2', {}, `${current.framework.name} ${current.framework.version}`, current.riskTier ? ` · ${current.riskTier} risk tier` : '', asset?.name ? ` · ${asset.name}` : ''),
    el(
      'ul',
      { class: 'legend counts' },
      ...current.counts.map((count) => el('li', {}, el('span', { class: `swatch status-${count.status}` }), `${STATUS_WORDS[count.status] ?? count.status}: ${count.count} (${count.percent}%)`)),
    ),
    ...current.groups.map((group) =>
      el(
        'section',
        { class: 'group' },
        el('h3', {}, group.identifier, group.title ? ` — ${group.title}` : '', el('span', { class: 'muted' }, ` (${group.total})`)),
        el(
          'div',
          { class: 'cells' },
          ...(byGroup.get(group.identifier) ?? []).map((item) =>
            el(
              'button',
              {
                type: 'button',
                class: `cell status-${item.status}`,
                'data-requirement': item.requirement.identifier,
                title: `${item.requirement.identifier}: ${item.requirement.title} — ${STATUS_WORDS[item.status] ?? item.status}`,
                'aria-label': `${item.requirement.identifier} ${item.requirement.title}: ${STATUS_WORDS[item.status] ?? item.status}`,
                onclick: () => void showRequirement(item),
              },
              item.requirement.identifier,
            ),
          ),
        ),
      ),
    ),
    current.framework.attribution ? el('p', { class: 'muted attribution' }, current.framework.attribution) : null,
  );
  byId('map').dataset.state = 'ready';
}

async function showRequirement(item: CoverageItem): Promise<void> {
  const panel = byId('details');
  const header = [
    el('h2', {}, `${item.requirement.identifier} — ${item.requirement.title}`),
    el('p', {}, el('span', { class: `badge status-${item.status}` }, STATUS_WORDS[item.status] ?? item.status)),
    item.requirement.summary ? el('p', {}, item.requirement.summary) : null,
    item.notApplicable ? el('p', {}, `Declared not applicable by ${item.notApplicable.declaredBy} on ${formatValue(item.notApplicable.declaredAt)}: ${item.notApplicable.rationale}`) : null,
  ];
  const controls = el(
    'section',
    { class: 'controls-list' },
    el('h3', {}, 'Controls'),
    item.controls.length === 0
      ? el('p', { class: 'muted' }, 'No control claims it.')
      : el(
          'ul',
          {},
          ...item.controls.map((match) =>
            el(
              'li',
              { 'data-control-id': match.control.id },
              el('strong', {}, match.control.name),
              ` — ${match.coverage.toLowerCase()} coverage, ${formatValue(match.control.implementationStatus).toLowerCase().replace(/_/g, ' ')}`,
              match.rationale ? el('p', { class: 'muted' }, match.rationale) : null,
              el('p', {}, 'Owners: ', match.owners.length ? match.owners.map((owner) => owner.name).join(', ') : '—'),
              el('p', {}, 'Evidence:'),
              el('ul', {}, ...(match.evidence.length ? match.evidence.map((evidence) => el('li', {}, evidence.name, ' ', el('span', { class: evidence.expired ? 'badge bad' : 'badge' }, evidence.expired ? `expired ${formatValue(evidence.expiresAt)}` : evidence.expiresAt ? `expires ${formatValue(evidence.expiresAt)}` : 'no expiry'))) : [el('li', { class: 'muted' }, 'none')])),
              el('p', {}, 'Applies to:'),
              el(
                'ul',
                { class: 'assets' },
                ...(match.control.appliesTo.length
                  ? match.control.appliesTo.map((target) => el('li', {}, el('a', { href: `/explore?id=${encodeURIComponent(target.id)}` }, target.name), el('span', { class: 'muted' }, ` ${target.__typename} · lineage`)))
                  : [el('li', { class: 'muted' }, 'no asset')]),
              ),
            ),
          ),
        ),
  );
  const related = el('section', { class: 'related' }, el('h3', {}, 'Crosswalk relatives'), el('p', { class: 'muted' }, 'Loading…'));
  replace(panel, ...header, controls, related);
  try {
    const data = await graphql<{ relatedRequirements: Related[] }>(RELATED_REQUIREMENTS, { framework: map!.framework.key, identifier: item.requirement.identifier });
    refreshPlaygroundLink();
    replace(
      related,
      el('h3', {}, 'Crosswalk relatives'),
      data.relatedRequirements.length === 0
        ? el('p', { class: 'muted' }, 'No crosswalk relates it to another framework.')
        : el('ul', {}, ...data.relatedRequirements.map((entry) => el('li', {}, `${entry.requirement.framework.name}: ${entry.requirement.identifier} — ${entry.requirement.title}`, el('span', { class: 'muted' }, entry.direct ? ' (direct)' : ` (${entry.hops} mappings away)`)))),
    );
  } catch (error) {
    sayError(error);
  }
}

async function load(): Promise<void> {
  if (!frameworkSelect.value) return;
  scopeToUrl();
  riskTier.disabled = frameworkSelect.value !== 'eu-ai-act';
  say('Asking the API…');
  byId('map').dataset.state = 'loading';
  try {
    const scope = { riskTier: riskTier.disabled ? null : riskTier.value || null, assetId: asset?.id ?? null };
    const data = await graphql<{ coverage: CoverageMap }>(COVERAGE, { framework: frameworkSelect.value, scope });
    map = data.coverage;
    refreshPlaygroundLink();
    renderMap(map);
    say(`${map.total} requirements in scope.`);
  } catch (error) {
    sayError(error);
  }
}

async function start(): Promise<void> {
  try {
    const { frameworks } = await graphql<{ frameworks: Array<{ key: string; name: string; version: string }> }>(FRAMEWORKS);
    replace(frameworkSelect, ...frameworks.map((framework) => el('option', { value: framework.key }, `${framework.name} ${framework.version}`)));
    const wanted = params.get('framework') ?? 'eu-ai-act';
    if (frameworks.some((framework) => framework.key === wanted)) frameworkSelect.value = wanted;
    riskTier.value = params.get('riskTier') ?? '';
    await load();
  } catch (error) {
    sayError(error);
  }
}

mountSearch((record) => {
  asset = { id: record.id, name: record.name };
  void load();
}, 'AIModel');
byId('search').addEventListener('input', (event) => {
  // Emptying the field goes back to the whole organisation.
  if ((event.target as HTMLInputElement).value === '' && asset) {
    asset = null;
    void load();
  }
});
byId<HTMLFormElement>('scope').addEventListener('submit', (event) => {
  event.preventDefault();
  void load();
});
frameworkSelect.addEventListener('change', () => void load());
riskTier.addEventListener('change', () => void load());
mountKeyForm(() => void start());
void start();
