import type { CoverageMap, CoverageStatus, StatusCount } from './model';

/**
 * Renderings of a coverage map (and of the posture summary) for people outside the API: CSV for
 * spreadsheets, Markdown for reports, and one self-contained HTML page for executives. Pure
 * functions: they take what the service computed and format it, so every format shows the same map.
 */

const requirements = (count: number) => `${count} requirement${count === 1 ? '' : 's'}`;

export type ExportFormat = 'csv' | 'md' | 'html';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'md', 'html'];
export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

export const CSV_COLUMNS = [
  'framework', 'group', 'identifier', 'kind', 'title', 'status', 'controls', 'coverage', 'implementation', 'evidence', 'expired_evidence', 'owners', 'not_applicable_rationale',
] as const;

const STATUS_LABEL: Record<CoverageStatus, string> = { SATISFIED: 'Satisfied', PARTIAL: 'Partial', GAP: 'Gap', NOT_APPLICABLE: 'Not applicable' };
const STATUS_COLOUR: Record<CoverageStatus, string> = { SATISFIED: '#1a7f37', PARTIAL: '#d4a72c', GAP: '#cf222e', NOT_APPLICABLE: '#8c959f' };

function rowCells(map: CoverageMap) {
  return map.items.map((item) => {
    const controls = item.controls;
    const evidence = controls.flatMap((c) => c.evidence);
    const owners = [...new Set(controls.flatMap((c) => c.owners.map((o) => o.name)))];
    return {
      framework: map.framework.key,
      group: item.group,
      identifier: item.requirement.identifier,
      kind: item.requirement.kind,
      title: item.requirement.title,
      status: item.status,
      controls: controls.map((c) => c.control.name).join('; '),
      coverage: controls.map((c) => c.coverage).join('; '),
      implementation: controls.map((c) => String(c.control.implementationStatus ?? '')).join('; '),
      evidence: evidence.filter((e) => !e.expired).map((e) => e.name).join('; '),
      expired_evidence: evidence.filter((e) => e.expired).map((e) => e.name).join('; '),
      owners: owners.join('; '),
      not_applicable_rationale: item.notApplicable?.rationale ?? '',
    };
  });
}

/**
 * RFC 4180 with every field quoted (inner quotes doubled), so that no separator a spreadsheet may
 * split on (`;` in some locales) cuts a cell; and OWASP's rule against CSV injection: a cell that
 * starts with = + - @, a tab or a carriage return gets a leading `'`, so that it stays text instead
 * of becoming a formula (names come from SYNC and COMPLIANCE callers).
 */
export const csvField = (value: string) => `"${(/^[=+\-@\t\r]/.test(value) ? `'${value}` : value).replace(/"/g, '""')}"`;

export function toCsv(map: CoverageMap): string {
  const lines = [CSV_COLUMNS.map(csvField).join(',')];
  for (const row of rowCells(map)) lines.push(CSV_COLUMNS.map((column) => csvField(row[column])).join(','));
  return lines.join('\r\n') + '\r\n';
}

/**
 * Text that stays text in Markdown, in a table cell or out: HTML's specials become entities (no raw
 * HTML such as <script>, no <autolink>), and a backslash escapes every character that opens markup
 * (code, emphasis, strikethrough, links and images, cell borders) and the ones by which renderers
 * link bare text themselves: `scheme:`, `//host`, `user@host`, `www.host`, `host.tld`.
 */
export const mdCell = (value: string) =>
  value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_~[\]|:@]|\.(?=[a-z])|\/(?=\/)/gi, '\\$&')
    .replace(/\r?\n/g, ' ');
const countLine = (counts: StatusCount[]) => counts.map((c) => `${STATUS_LABEL[c.status]} ${c.count} (${c.percent}%)`).join(' · ');

/** When the map was made, and the instant it describes when that is not now. */
const whenText = (map: { generatedAt: string; asOf?: string | null }) => (map.asOf ? `As of ${map.asOf} (generated ${map.generatedAt})` : `Generated ${map.generatedAt}`);

function scopeText(map: CoverageMap): string {
  const parts = [map.riskTier ? `risk tier ${map.riskTier}` : null, map.assetId ? `asset ${map.assetId}` : null, map.systemId ? `what applies to AI system ${map.systemId}` : null].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'all requirements';
}

export function toMarkdown(map: CoverageMap): string {
  const out: string[] = [];
  out.push(`# Coverage: ${mdCell(map.framework.name)} (${mdCell(map.framework.version)})`, '');
  out.push(`Scope: ${scopeText(map)}. ${whenText(map)}. ${requirements(map.total)}.`, '');
  out.push('| Status | Count | Percent |', '|---|---:|---:|');
  for (const c of map.counts) out.push(`| ${STATUS_LABEL[c.status]} | ${c.count} | ${c.percent}% |`);
  out.push('', '## By group', '', '| Group | Title | Total | Satisfied | Partial | Gap | Not applicable |', '|---|---|---:|---:|---:|---:|---:|');
  for (const g of map.groups) {
    const n = (status: CoverageStatus) => g.counts.find((c) => c.status === status)!.count;
    out.push(`| ${mdCell(g.identifier)} | ${mdCell(g.title ?? '')} | ${g.total} | ${n('SATISFIED')} | ${n('PARTIAL')} | ${n('GAP')} | ${n('NOT_APPLICABLE')} |`);
  }
  out.push('', '## Requirements', '', '| Identifier | Title | Group | Status | Controls | Owners |', '|---|---|---|---|---|---|');
  for (const row of rowCells(map)) {
    const controls = row.status === 'NOT_APPLICABLE' ? `N/A: ${row.not_applicable_rationale}` : row.controls;
    out.push(`| ${mdCell(row.identifier)} | ${mdCell(row.title)} | ${mdCell(row.group)} | ${STATUS_LABEL[row.status]} | ${mdCell(controls)} | ${mdCell(row.owners)} |`);
  }
  if (map.framework.attribution) out.push('', `_${mdCell(map.framework.attribution)}_`);
  return out.join('\n') + '\n';
}

export const escapeHtml = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/**
 * One page, no external resources (inline CSS, no scripts, fonts or images), so that it survives
 * being mailed or printed: a summary bar, then a heat map of requirement cells coloured by status,
 * grouped by chapter or function, each cell titled with its requirement and controls.
 */
export function toHtml(map: CoverageMap): string {
  const e = escapeHtml;
  const bar = map.counts
    .filter((c) => c.count > 0)
    .map((c) => `<div class="seg" style="width:${c.percent}%;background:${STATUS_COLOUR[c.status]}" title="${e(`${STATUS_LABEL[c.status]}: ${c.count}`)}"></div>`)
    .join('');
  const legend = map.counts
    .map((c) => `<li><span class="swatch" style="background:${STATUS_COLOUR[c.status]}"></span>${e(STATUS_LABEL[c.status])}: <strong>${c.count}</strong> (${c.percent}%)</li>`)
    .join('');
  const cellsByGroup = new Map<string, string[]>();
  for (const item of map.items) {
    const controls = item.controls.map((c) => `${c.control.name} (${c.coverage}, ${String(c.control.implementationStatus ?? 'unknown')})`).join('; ');
    const tooltip = [`${item.requirement.identifier}: ${item.requirement.title}`, STATUS_LABEL[item.status], item.notApplicable ? `N/A: ${item.notApplicable.rationale}` : controls]
      .filter(Boolean)
      .join(' | ');
    const cells = cellsByGroup.get(item.group) ?? [];
    cells.push(`<div class="cell ${item.status.toLowerCase()}" title="${e(tooltip)}">${e(item.requirement.identifier)}</div>`);
    cellsByGroup.set(item.group, cells);
  }
  const groups = map.groups
    .map((g) => {
      const satisfied = g.counts.find((c) => c.status === 'SATISFIED')!;
      return `<section><h2>${e(g.identifier)}${g.title ? ` <small>${e(g.title)}</small>` : ''}</h2><p class="meta">${requirements(g.total)} · ${e(countLine(g.counts))} · ${satisfied.percent}% satisfied</p><div class="grid">${(cellsByGroup.get(g.identifier) ?? []).join('')}</div></section>`;
    })
    .join('\n');
  const rows = map.items
    .map((item) => {
      const detail = item.notApplicable
        ? `Not applicable: ${item.notApplicable.rationale}`
        : item.controls.map((c) => `${c.control.name} (${c.coverage}; evidence: ${c.evidence.map((ev) => `${ev.name}${ev.expired ? ' [expired]' : ''}`).join(', ') || 'none'})`).join('; ');
      const owners = [...new Set(item.controls.flatMap((c) => c.owners.map((o) => o.name)))].join(', ');
      return `<tr><td>${e(item.requirement.identifier)}</td><td>${e(item.requirement.title)}</td><td><span class="tag ${item.status.toLowerCase()}">${e(STATUS_LABEL[item.status])}</span></td><td>${e(detail)}</td><td>${e(owners)}</td></tr>`;
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(`Coverage: ${map.framework.name}`)}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:2rem;color:#1f2328;max-width:1200px}
h1{margin-bottom:.2rem}h2{font-size:1.05rem;margin:1.4rem 0 .2rem}h2 small{font-weight:normal;color:#57606a}
.meta{color:#57606a;margin:.2rem 0 .5rem;font-size:.9rem}
.bar{display:flex;height:22px;border-radius:4px;overflow:hidden;margin:1rem 0 .5rem;background:#eaeef2}
.seg{height:100%}
ul.legend{list-style:none;padding:0;display:flex;gap:1.2rem;flex-wrap:wrap}
.swatch{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:.35rem;vertical-align:-1px}
.grid{display:flex;flex-wrap:wrap;gap:4px}
.cell{font-size:.72rem;padding:6px 7px;border-radius:3px;color:#fff;min-width:64px;text-align:center}
.satisfied{background:${STATUS_COLOUR.SATISFIED}}.partial{background:${STATUS_COLOUR.PARTIAL};color:#1f2328}
.gap{background:${STATUS_COLOUR.GAP}}.not_applicable{background:${STATUS_COLOUR.NOT_APPLICABLE}}
table{border-collapse:collapse;width:100%;margin-top:2rem;font-size:.85rem}
th,td{border-bottom:1px solid #d0d7de;padding:.35rem .5rem;text-align:left;vertical-align:top}
.tag{padding:1px 6px;border-radius:3px;color:#fff;white-space:nowrap}
footer{margin-top:2rem;color:#57606a;font-size:.8rem}
@media print{body{margin:0}.cell,.seg,.tag,.swatch{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
</style>
</head>
<body>
<h1>${e(map.framework.name)} coverage</h1>
<p class="meta">${e(`${map.framework.name} ${map.framework.version} · scope: ${scopeText(map)} · ${requirements(map.total)} · ${map.asOf ? `as of ${map.asOf}, ` : ''}generated ${map.generatedAt}`)}</p>
<div class="bar">${bar}</div>
<ul class="legend">${legend}</ul>
${groups}
<table>
<thead><tr><th>Requirement</th><th>Title</th><th>Status</th><th>Controls and evidence</th><th>Owners</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<footer>${e(map.framework.attribution ?? '')} Summaries and statuses come from Lineage Graph; they are not legal advice.</footer>
</body>
</html>
`;
}

export function renderCoverage(map: CoverageMap, format: ExportFormat): string {
  return format === 'csv' ? toCsv(map) : format === 'md' ? toMarkdown(map) : toHtml(map);
}

export interface PostureForExport {
  generatedAt: string;
  asOf?: string | null;
  assetsByRiskTier: Array<{ tier: string; count: number }>;
  openRisks: Array<{ name: string; residualScore?: unknown; inherentScore?: unknown; status?: unknown; category?: unknown }>;
  openRisksByBand: Array<{ band: string; count: number }>;
  openIncidents: Array<{ name: string; severity?: unknown; status?: unknown; detectedAt?: unknown }>;
  coverage: Array<{ framework: { name: string; version: string }; total: number; counts: StatusCount[] }>;
}

/** The executive posture summary as Markdown, for the quarterly board report. */
export function postureToMarkdown(summary: PostureForExport): string {
  const s = (value: unknown) => mdCell(value === null || value === undefined ? '' : String(value));
  const out = [`# AI security posture`, '', `${whenText(summary)}.`, '', '## AI models by risk tier', '', '| Tier | Models |', '|---|---:|'];
  for (const t of summary.assetsByRiskTier) out.push(`| ${t.tier} | ${t.count} |`);
  out.push('', `## Open risks (${summary.openRisks.length})`, '', '| Band | Count |', '|---|---:|');
  for (const b of summary.openRisksByBand) out.push(`| ${b.band} | ${b.count} |`);
  out.push('', '| Risk | Residual | Inherent | Status | Category |', '|---|---:|---:|---|---|');
  for (const r of summary.openRisks) out.push(`| ${s(r.name)} | ${s(r.residualScore)} | ${s(r.inherentScore)} | ${s(r.status)} | ${s(r.category)} |`);
  out.push('', `## Open incidents (${summary.openIncidents.length})`, '', '| Incident | Severity | Status | Detected |', '|---|---|---|---|');
  for (const i of summary.openIncidents) out.push(`| ${s(i.name)} | ${s(i.severity)} | ${s(i.status)} | ${s(i.detectedAt)} |`);
  out.push('', '## Coverage per framework', '', '| Framework | Requirements | Satisfied | Partial | Gap | Not applicable |', '|---|---:|---:|---:|---:|---:|');
  for (const f of summary.coverage) {
    const n = (status: CoverageStatus) => {
      const c = f.counts.find((x) => x.status === status)!;
      return `${c.count} (${c.percent}%)`;
    };
    out.push(`| ${s(f.framework.name)} ${s(f.framework.version)} | ${f.total} | ${n('SATISFIED')} | ${n('PARTIAL')} | ${n('GAP')} | ${n('NOT_APPLICABLE')} |`);
  }
  return out.join('\n') + '\n';
}
