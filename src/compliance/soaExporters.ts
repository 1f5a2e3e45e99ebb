import type { EntityRow } from '../estate/model';
import { csvField, escapeHtml, ExportFormat, mdCell } from './exporters';
import type { SoaEntry, SoaImplementation, StatementOfApplicability } from './soa';

/**
 * The Statement of Applicability as an auditor receives it: CSV for a spreadsheet, Markdown for the
 * management-system documents, one self-contained HTML page to mail or print. Pure, like the
 * coverage exporters, whose escaping rules (CSV injection, Markdown and HTML specials) it shares.
 */

export const SOA_CSV_COLUMNS = [
  'framework', 'objective', 'identifier', 'title', 'included', 'justification', 'justification_source', 'implementation',
  'controls', 'coverage', 'control_status', 'evidence', 'owners', 'risks', 'decided_by', 'decided_at',
] as const;

const IMPLEMENTATION_LABEL: Record<SoaImplementation, string> = {
  IMPLEMENTED: 'Implemented',
  PARTIALLY_IMPLEMENTED: 'Partially implemented',
  NOT_IMPLEMENTED: 'Not implemented',
  EXCLUDED: 'Excluded',
};
const IMPLEMENTATION_COLOUR: Record<SoaImplementation, string> = { IMPLEMENTED: '#1a7f37', PARTIALLY_IMPLEMENTED: '#9a6700', NOT_IMPLEMENTED: '#cf222e', EXCLUDED: '#6e7781' };

const names = (rows: EntityRow[]) => rows.map((row) => row.name).join('; ');
const objectiveOf = (entry: SoaEntry) => entry.objectiveKey?.slice(entry.objectiveKey.indexOf('|') + 1) ?? '';
const evidenceOf = (entry: SoaEntry) => entry.implementedBy.flatMap((claim) => claim.evidence);

function rowCells(soa: StatementOfApplicability, entry: SoaEntry): Record<(typeof SOA_CSV_COLUMNS)[number], string> {
  return {
    framework: soa.framework.key,
    objective: objectiveOf(entry),
    identifier: entry.requirement.identifier,
    title: entry.requirement.title,
    included: entry.included ? 'yes' : 'no',
    justification: entry.justification,
    justification_source: entry.justificationSource,
    implementation: entry.implementation,
    controls: names(entry.implementedBy.map((claim) => claim.control)),
    coverage: entry.implementedBy.map((claim) => claim.coverage).join('; '),
    control_status: entry.implementedBy.map((claim) => String(claim.control.implementationStatus ?? '')).join('; '),
    evidence: names(evidenceOf(entry)),
    owners: names(entry.owners),
    risks: names(entry.risks),
    decided_by: entry.decision?.decidedBy ?? '',
    decided_at: entry.decision?.decidedAt ?? '',
  };
}

export function soaToCsv(soa: StatementOfApplicability): string {
  const lines = [SOA_CSV_COLUMNS.map(csvField).join(',')];
  for (const entry of soa.entries) {
    const cells = rowCells(soa, entry);
    lines.push(SOA_CSV_COLUMNS.map((column) => csvField(cells[column])).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

const heading = (soa: StatementOfApplicability) => `Statement of Applicability: ${soa.framework.name} (${soa.framework.version})`;
const when = (soa: StatementOfApplicability) => (soa.asOf ? `As of ${soa.asOf} (generated ${soa.generatedAt})` : `Generated ${soa.generatedAt}`);
const totals = (soa: StatementOfApplicability) => `${soa.total} controls: ${soa.included} included, ${soa.excluded} excluded`;

export function soaToMarkdown(soa: StatementOfApplicability): string {
  const out = [`# ${mdCell(heading(soa))}`, '', `${mdCell(when(soa))}. ${totals(soa)}.`, '', '| Implementation | Controls |', '|---|---:|'];
  for (const c of soa.counts) out.push(`| ${IMPLEMENTATION_LABEL[c.implementation]} | ${c.count} |`);
  out.push('', '## Controls', '', '| Control | Title | Included | Justification | Implementation | Implemented by | Evidence | Owners |', '|---|---|---|---|---|---|---|---|');
  for (const entry of soa.entries) {
    const cells = rowCells(soa, entry);
    out.push(
      `| ${[cells.identifier, cells.title, entry.included ? 'Yes' : 'No', cells.justification, IMPLEMENTATION_LABEL[entry.implementation], cells.controls, cells.evidence, cells.owners].map(mdCell).join(' | ')} |`,
    );
  }
  if (soa.framework.attribution) out.push('', `_${mdCell(soa.framework.attribution)}_`);
  return out.join('\n') + '\n';
}

/**
 * One page with no external resource (inline CSS only, no script, font or image): the totals, then
 * a row per control with its decision, justification, implementation, controls with their evidence,
 * and owners.
 */
export function soaToHtml(soa: StatementOfApplicability): string {
  const e = escapeHtml;
  const legend = soa.counts
    .map((c) => `<li><span class="tag" style="background:${IMPLEMENTATION_COLOUR[c.implementation]}">${e(IMPLEMENTATION_LABEL[c.implementation])}</span> <strong>${c.count}</strong></li>`)
    .join('');
  const rows = soa.entries
    .map((entry) => {
      const implementedBy = entry.implementedBy
        .map((claim) => `${claim.control.name} (${claim.coverage}, ${String(claim.control.implementationStatus ?? 'unknown')}; evidence: ${claim.evidence.map((ev) => ev.name).join(', ') || 'none valid'})`)
        .join('; ');
      const decided = entry.decision ? `${entry.decision.decidedBy}, ${entry.decision.decidedAt}` : 'by default';
      return `<tr class="${entry.included ? 'in' : 'out'}"><td>${e(entry.requirement.identifier)}</td><td>${e(entry.requirement.title)}</td><td>${entry.included ? 'Yes' : 'No'}</td><td>${e(entry.justification)}<div class="meta">${e(`${entry.justificationSource.toLowerCase().replace('_', ' ')} · ${decided}`)}</div></td><td><span class="tag" style="background:${IMPLEMENTATION_COLOUR[entry.implementation]}">${e(IMPLEMENTATION_LABEL[entry.implementation])}</span></td><td>${e(implementedBy)}</td><td>${e(names(entry.owners))}</td></tr>`;
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(heading(soa))}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:2rem;color:#1f2328;max-width:1300px}
.meta{color:#57606a;font-size:.8rem;margin-top:.2rem}
ul.legend{list-style:none;padding:0;display:flex;gap:1.2rem;flex-wrap:wrap}
table{border-collapse:collapse;width:100%;margin-top:1.5rem;font-size:.85rem}
th,td{border-bottom:1px solid #d0d7de;padding:.4rem .5rem;text-align:left;vertical-align:top}
tr.out td{color:#57606a}
.tag{padding:1px 6px;border-radius:3px;color:#fff;white-space:nowrap}
footer{margin-top:2rem;color:#57606a;font-size:.8rem}
@media print{body{margin:0}.tag{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
</style>
</head>
<body>
<h1>${e(heading(soa))}</h1>
<p class="meta">${e(`${when(soa)} · ${totals(soa)}`)}</p>
<ul class="legend">${legend}</ul>
<table>
<thead><tr><th>Control</th><th>Title</th><th>Included</th><th>Justification</th><th>Implementation</th><th>Implemented by (evidence valid on the date)</th><th>Owners</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<footer>${e(soa.framework.attribution ?? '')} Decisions, statuses and evidence come from Lineage Graph; control titles are paraphrases, not the standard's text.</footer>
</body>
</html>
`;
}

export function renderSoa(soa: StatementOfApplicability, format: ExportFormat): string {
  return format === 'csv' ? soaToCsv(soa) : format === 'md' ? soaToMarkdown(soa) : soaToHtml(soa);
}
