import type { CoverageControlRow, CoverageItem, CoverageMap, CoverageStatus } from '../../compliance/model';
import { compact } from '../cyclonedx/exporter';
import { controlTokens, nameUuid } from './identifiers';

type Json = Record<string, unknown>;

/** The OSCAL version the document is written to; NIST's 1.1.2 examples validate against its published JSON schemas. */
export const OSCAL_VERSION = '1.1.2';
/** The namespace of the properties OSCAL does not define (coverage status, requirement identifier...). */
export const PROPERTY_NS = 'urn:lineage-graph:oscal';

/**
 * How each coverage status reads as an OSCAL objective status. OSCAL has no "not applicable"
 * objective state: a requirement declared not applicable is satisfied for another reason, with
 * its implementation status not-applicable, so that tools do not open remediation items for what
 * the organisation put out of scope.
 */
const TARGET_STATUS: Record<CoverageStatus, { state: string; reason: string; implementation?: string }> = {
  SATISFIED: { state: 'satisfied', reason: 'pass', implementation: 'implemented' },
  PARTIAL: { state: 'not-satisfied', reason: 'fail', implementation: 'partial' },
  GAP: { state: 'not-satisfied', reason: 'fail' },
  NOT_APPLICABLE: { state: 'satisfied', reason: 'other', implementation: 'not-applicable' },
};

const STATUS_SENTENCE: Record<CoverageStatus, string> = {
  SATISFIED: 'An implemented control claims full coverage and has unexpired evidence.',
  PARTIAL: 'Controls claim it, but none is implemented with full coverage and unexpired evidence.',
  GAP: 'No control claims it.',
  NOT_APPLICABLE: 'Declared not applicable.',
};

/** OSCAL strings (property values, versions) are one line without surrounding blanks. */
const oneLine = (value: string) => value.replace(/\s+/g, ' ').trim();
/** This project's properties, each a name and a value; an absent or blank value is left out, as OSCAL allows none. */
const props = (...entries: Array<[string, string | null | undefined]>) =>
  entries.flatMap(([name, value]) => (value && oneLine(value) ? [{ name, ns: PROPERTY_NS, value: oneLine(value) }] : []));
/** A URL as a URI reference OSCAL accepts (spaces and other characters escaped), or nothing. */
const uri = (value: unknown) => (typeof value === 'string' && URL.canParse(value) ? new URL(value).href : undefined);

/**
 * A coverage map as an OSCAL assessment-results document: one result for the map, a finding per
 * requirement with its status, and an observation per control that claims it, with that control's
 * evidence. Pure: the map in, the document out. Every UUID is derived from the framework, the scope
 * and what it identifies, so that exporting again changes only the times.
 */
export function buildAssessmentResults(map: CoverageMap): Json {
  const { framework } = map;
  // The moment the statuses describe (the asked instant of an as-of map, else when it was made).
  // Every time the document states is this one, so that a map computed as of another moment changes
  // this line and nothing else.
  const assessedAt = map.asOf ?? map.generatedAt;
  const scope = [`riskTier=${map.riskTier ?? ''}`, `assetId=${map.assetId ?? ''}`, ...(map.systemId ? [`systemId=${map.systemId}`] : [])].join('&');
  const uuid = (...parts: string[]) => nameUuid(framework.key, scope, ...parts);
  const tokens = controlTokens(map.items.map((item) => item.requirement.identifier));
  const scopeText = [map.riskTier ? `the obligations of risk tier ${map.riskTier}` : null, map.assetId ? `the controls applied to asset ${map.assetId}` : null, map.systemId ? `the obligations that apply to AI system ${map.systemId}` : null].filter(Boolean).join(' and ');
  const title = `${framework.name} ${framework.version}: coverage${scopeText ? ` (${scopeText})` : ''}`;
  const methodUuid = uuid('method');
  const frameworkUuid = uuid('framework');

  const observations: Json[] = [];
  const findings = map.items.map((item) => {
    const related = item.controls.map((claim) => {
      const observationUuid = uuid('observation', item.requirement.key, claim.control.id);
      observations.push(observation(item, claim, observationUuid, assessedAt));
      return { 'observation-uuid': observationUuid };
    });
    return finding(item, tokens.get(item.requirement.identifier)!, uuid('finding', item.requirement.key), related);
  });

  return {
    'assessment-results': compact({
      uuid: uuid('assessment-results'),
      metadata: compact({
        title,
        'last-modified': assessedAt,
        version: assessedAt,
        'oscal-version': OSCAL_VERSION,
        props: props(['framework', framework.key], ['framework-version', framework.version], ['risk-tier', map.riskTier], ['asset-id', map.assetId], ['ai-system-id', map.systemId ?? null]),
      }),
      'import-ap': { href: `#${methodUuid}`, remarks: 'No separate assessment plan: the method is the back-matter resource this refers to.' },
      results: [
        compact({
          uuid: uuid('result'),
          title,
          description: `Coverage of ${framework.name} ${framework.version} by the organisation's controls, as recorded in the Lineage Graph API${scopeText ? `, limited to ${scopeText}` : ''}: ${map.total} requirement${map.total === 1 ? '' : 's'} assessed.`,
          start: assessedAt,
          'reviewed-controls': {
            links: [{ href: `#${frameworkUuid}`, rel: 'reference' }],
            'control-selections': [
              map.items.length > 0
                ? { 'include-controls': map.items.map((item) => ({ 'control-id': tokens.get(item.requirement.identifier) })) }
                : { remarks: 'No requirement of the framework is in this scope.' },
            ],
          },
          observations,
          findings,
        }),
      ],
      'back-matter': {
        resources: [
          {
            uuid: methodUuid,
            title: 'Coverage method',
            description: `Statuses are decided from recorded claims, not tested here. ${(Object.keys(STATUS_SENTENCE) as CoverageStatus[]).map((status) => `${status}: ${STATUS_SENTENCE[status]}`).join(' ')}`,
          },
          compact({
            uuid: frameworkUuid,
            title: framework.name,
            description: framework.description ?? undefined,
            citation: { text: [framework.name, framework.version, framework.publisher].filter(Boolean).join(', ') },
            rlinks: uri(framework.url) ? [{ href: uri(framework.url) }] : undefined,
            // The catalogue's licence asks for its attribution wherever its content (requirement titles) is shown.
            remarks: framework.attribution ?? undefined,
          }),
        ],
      },
    }),
  };
}

function finding(item: CoverageItem, token: string, uuid: string, related: Json[]): Json {
  const { requirement, status, notApplicable } = item;
  const target = TARGET_STATUS[status];
  const declared = notApplicable ? `Declared not applicable by ${notApplicable.declaredBy} on ${notApplicable.declaredAt}: ${notApplicable.rationale}` : undefined;
  return compact({
    uuid,
    title: `${requirement.identifier}: ${requirement.title}`,
    description: `${requirement.summary ?? requirement.title}\n\n${STATUS_SENTENCE[status]}`,
    props: props(['requirement', requirement.identifier], ['requirement-kind', requirement.kind], ['group', item.group], ['coverage-status', status]),
    target: compact({
      type: 'objective-id',
      'target-id': `${token}_obj`,
      status: compact({ state: target.state, reason: target.reason, remarks: declared }),
      'implementation-status': target.implementation ? { state: target.implementation } : undefined,
    }),
    'related-observations': related,
    remarks: declared,
  });
}

/** A control's claim on a requirement, with the control's evidence as relevant evidence. */
function observation(item: CoverageItem, claim: CoverageControlRow, uuid: string, collected: string): Json {
  const { control } = claim;
  const implementation = typeof control.implementationStatus === 'string' ? control.implementationStatus : 'not recorded';
  return compact({
    uuid,
    title: control.name,
    description: `${control.name} claims ${claim.coverage} coverage of ${item.requirement.identifier} (implementation: ${implementation})${claim.rationale ? `: ${claim.rationale}` : '.'}`,
    props: props(['control-id', control.id], ['coverage', claim.coverage], ['implementation-status', implementation], ...claim.owners.map((owner): [string, string] => ['control-owner', owner.name])),
    methods: ['EXAMINE'],
    types: ['control-objective'],
    'relevant-evidence': claim.evidence.map((evidence) =>
      compact({
        href: uri(evidence.uri),
        description: [
          `${evidence.name}${typeof evidence.kind === 'string' ? ` (${evidence.kind})` : ''}`,
          typeof evidence.collectedAt === 'string' ? `collected ${evidence.collectedAt}` : null,
          typeof evidence.expiresAt === 'string' ? `${evidence.expired ? 'expired' : 'expires'} ${evidence.expiresAt}` : null,
        ]
          .filter(Boolean)
          .join(', '),
        props: props(['evidence-id', evidence.id], ['expired', String(evidence.expired)]),
      }),
    ),
    collected,
  });
}
