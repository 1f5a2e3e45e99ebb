import fs from 'node:fs';
import path from 'node:path';
import { obligationFields, readSeedCatalogue } from '../../src/compliance/catalogue';
import type { RequirementRow } from '../../src/compliance/model';
import { SHARED_REFERENCE, testWithSharedFile } from '../support/sharedFixtures';

/**
 * Every AI Act obligation of the seed is checked against the regulation's own text
 * (../shared/reference/eu-ai-act-2024-1689.md, the OJ text as Markdown): the article, paragraph and
 * point it cites exist, every article is either an operator's with obligations or marked as binding
 * none, and every date is one Article 113 sets, the one of the obligation's chapter.
 */
const REGULATION = path.join(SHARED_REFERENCE, 'eu-ai-act-2024-1689.md');

interface ArticleText {
  /** Numbered paragraphs, each with the point letters found in it. */
  paragraphs: Map<number, Set<string>>;
  /** Points of an article without numbered paragraphs (Article 16's list). */
  points: Set<string>;
  text: string;
}

/**
 * Splits the enacting terms (from "HAVE ADOPTED THIS REGULATION:" to Annex I) into articles. A line
 * that is exactly "Article N" opens article N only when N is the next number expected, so a wrapped
 * cross-reference can never open one; paragraphs are taken the same way, in sequence.
 */
function parseRegulation(markdown: string): Map<number, ArticleText> {
  const lines = markdown.split('\n').map((line) => line.trim());
  const start = lines.indexOf('HAVE ADOPTED THIS REGULATION:');
  const end = lines.findIndex((line, index) => index > start && line === 'ANNEX I');
  const articles = new Map<number, ArticleText>();
  let current: ArticleText | null = null;
  let paragraph = 0;
  for (const line of lines.slice(start + 1, end)) {
    if (line === `Article ${articles.size + 1}`) {
      current = { paragraphs: new Map(), points: new Set(), text: '' };
      articles.set(articles.size + 1, current);
      paragraph = 0;
      continue;
    }
    if (!current) continue;
    current.text += `${line}\n`;
    const numbered = /^(\d+)\.\s/.exec(line);
    if (numbered && Number(numbered[1]) === paragraph + 1) {
      paragraph += 1;
      current.paragraphs.set(paragraph, new Set());
      continue;
    }
    const point = /^\(([a-z])\)\s/.exec(line);
    if (point) (paragraph === 0 ? current.points : current.paragraphs.get(paragraph)!).add(point[1]);
  }
  return articles;
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Why an obligation's identifier does not cite an existing place of the text, or null when it does. */
function citationProblem(identifier: string, articles: Map<number, ArticleText>): string | null {
  const match = /^Article (\d+)(?:\((\d+)\)(?:\(([a-z])\))?|, (first|second|third|fourth|fifth) paragraph|, point \(([a-z])\))$/.exec(identifier);
  if (!match) return 'is not of the form Article N(p), Article N(p)(x), Article N, first paragraph or Article N, point (x)';
  const [, number, paragraph, point, ordinal, listPoint] = match;
  const article = articles.get(Number(number));
  if (!article) return `Article ${number} is not in the regulation`;
  if (paragraph) {
    const points = article.paragraphs.get(Number(paragraph));
    if (!points) return `Article ${number} has no paragraph ${paragraph}`;
    if (point && !points.has(point)) return `paragraph ${paragraph} of Article ${number} has no point (${point})`;
  }
  if (ordinal) {
    if (article.paragraphs.size > 0) return `Article ${number} has numbered paragraphs: cite them`;
    const unnumbered = article.text.split(/\n\s*\n/).filter((block) => block.trim()).length - 1; // minus the heading
    if (ORDINALS.indexOf(ordinal) + 1 > unnumbered) return `Article ${number} has no ${ordinal} paragraph`;
  }
  if (listPoint && (article.paragraphs.size > 0 || !article.points.has(listPoint))) return `Article ${number} has no point (${listPoint}) outside numbered paragraphs`;
  return null;
}

/** The dates of Article 113 ("It shall apply from …" and its exceptions), as YYYY-MM-DD. */
function article113Dates(article: ArticleText): Set<string> {
  const dates = [...article.text.replace(/\s+/g, ' ').matchAll(/apply from (\d{1,2}) (\w+) (\d{4})/g)].map(
    ([, day, month, year]) => `${year}-${String(MONTHS.indexOf(month) + 1).padStart(2, '0')}-${day.padStart(2, '0')}`,
  );
  return new Set(dates);
}

describe('AI Act obligations against the regulation', () => {
  const { batch } = readSeedCatalogue();
  const aiAct = batch.requirements.filter((row) => row.framework === 'eu-ai-act');
  const byKey = new Map(aiAct.map((row) => [row.key, row]));
  const obligations = aiAct.filter((row) => row.kind === 'OBLIGATION');
  const articlesOfSeed = aiAct.filter((row) => row.kind === 'ARTICLE');
  const chapterOf = (row: RequirementRow): string => {
    let at: RequirementRow | undefined = row;
    while (at && at.kind !== 'CHAPTER') at = byKey.get(at.parentKeys[0]);
    return at?.identifier ?? '';
  };

  testWithSharedFile(REGULATION, 'every obligation cites an article, paragraph and point that exist in the text', () => {
    const articles = parseRegulation(fs.readFileSync(REGULATION, 'utf8'));
    expect(articles.size).toBe(113);
    // The parser itself: known places exist, and an invented one does not.
    expect(articles.get(26)!.paragraphs.size).toBe(12);
    expect([...articles.get(5)!.paragraphs.get(1)!].sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']);
    expect(citationProblem('Article 26(13)', articles)).toBe('Article 26 has no paragraph 13');
    expect(citationProblem('Article 16, point (m)', articles)).not.toBeNull();
    const problems = obligations.map((row) => [row.identifier, citationProblem(row.identifier, articles)]).filter(([, problem]) => problem !== null);
    expect(problems).toEqual([]);
  });

  test('every obligation sits under the article it cites and binds someone from some date', () => {
    expect(obligations.length).toBeGreaterThan(0);
    for (const row of obligations) {
      expect([row.identifier, row.parentKeys]).toEqual([row.identifier, [`eu-ai-act|${/^Article \d+/.exec(row.identifier)![0]}`]]);
      expect(row.roles?.length).toBeGreaterThan(0);
      expect(row.categories?.length).toBeGreaterThan(0);
      expect(row.bindsOperator).toBe(true);
    }
  });

  test('every article either binds operators, with obligations, or is marked as binding none', () => {
    const withObligations = new Set(obligations.map((row) => row.parentKeys[0]));
    const unclear = articlesOfSeed
      .filter((row) => (withObligations.has(row.key) ? row.bindsOperator !== true : row.bindsOperator !== false))
      .map((row) => `${row.identifier} (bindsOperator ${row.bindsOperator}, ${withObligations.has(row.key) ? 'with' : 'without'} obligations)`);
    expect(unclear).toEqual([]);
    expect(articlesOfSeed).toHaveLength(113);
  });

  testWithSharedFile(REGULATION, "every date is Article 113's, the one for the obligation's chapter", () => {
    const dates = article113Dates(parseRegulation(fs.readFileSync(REGULATION, 'utf8')).get(113)!);
    expect([...dates].sort()).toEqual(['2025-02-02', '2025-08-02', '2026-08-02', '2027-08-02']);
    // Article 113: Chapters I and II from 2 February 2025; Chapter V (general-purpose models) from
    // 2 August 2025; Article 6(1) and its obligations (Annex I products) from 2 August 2027; the rest
    // from 2 August 2026. The other chapters of point (b) hold no operator's obligation.
    const expected = (row: RequirementRow) => {
      const chapter = chapterOf(row);
      if (chapter === 'Chapter I' || chapter === 'Chapter II') return '2025-02-02';
      if (chapter === 'Chapter V') return '2025-08-02';
      return /Annex I\b|Article 6\(1\)/.test(row.condition ?? '') ? '2027-08-02' : '2026-08-02';
    };
    const wrong = obligations.filter((row) => row.appliesFrom !== expected(row)).map((row) => `${row.identifier}: ${row.appliesFrom}, expected ${expected(row)}`);
    expect(wrong).toEqual([]);
  });
});

/** The runs of `size` words of a text, lower-cased, punctuation dropped. */
const wordRuns = (text: string, size: number): string[] => {
  const words = text.toLowerCase().replace(/’/g, "'").match(/[a-z0-9]+/g) ?? [];
  return words.slice(0, Math.max(0, words.length - size + 1)).map((_, index) => words.slice(index, index + size).join(' '));
};

testWithSharedFile(REGULATION, "the project's own words: no summary, condition or obligation title shares eight consecutive words with the regulation", () => {
  const regulation = new Set(wordRuns(fs.readFileSync(REGULATION, 'utf8'), 8));
  expect(wordRuns('Providers and deployers of AI systems shall take measures', 8).some((run) => regulation.has(run))).toBe(true);
  const { batch } = readSeedCatalogue();
  const copied = batch.requirements
    .filter((row) => row.framework === 'eu-ai-act')
    // Titles of articles, chapters and annexes are the official ones, on purpose.
    .flatMap((row) => [row.summary, row.condition, row.kind === 'OBLIGATION' ? row.title : null].map((text) => [row.identifier, text ?? ''] as const))
    .flatMap(([identifier, text]) => wordRuns(text, 8).filter((run) => regulation.has(run)).map((run) => `${identifier}: "${run}"`));
  expect(copied).toEqual([]);
});

describe('obligation fields of a catalogue entry', () => {
  const check = (entry: Parameters<typeof obligationFields>[0]) => {
    const problems: string[] = [];
    return { fields: obligationFields(entry, problems), problems };
  };

  test('an obligation needs roles, categories and a real date, and binds an operator', () => {
    expect(check({ identifier: 'Article 26(1)', kind: 'OBLIGATION', roles: ['DEPLOYER'], categories: ['HIGH_RISK'], appliesFrom: '2026-08-02' })).toEqual({
      fields: { roles: ['DEPLOYER'], categories: ['HIGH_RISK'], appliesFrom: '2026-08-02', bindsOperator: true, condition: null },
      problems: [],
    });
    expect(check({ identifier: 'X', kind: 'OBLIGATION', roles: [], categories: ['HIGH_RISK'], appliesFrom: '2026-08-02' }).problems).toEqual(['X: an obligation needs roles, categories and appliesFrom']);
    expect(check({ identifier: 'X', kind: 'OBLIGATION', roles: ['USER'], categories: ['LIMITED'], appliesFrom: '2026-02-30', bindsOperator: false }).problems).toEqual([
      'X: unknown role USER',
      'X: unknown category LIMITED',
      'X: appliesFrom 2026-02-30 is not a YYYY-MM-DD date',
      'X: an obligation binds an operator',
    ]);
  });

  test('other kinds only say whether they bind an operator', () => {
    expect(check({ identifier: 'Article 1', kind: 'ARTICLE', bindsOperator: false }).fields).toMatchObject({ bindsOperator: false, roles: null, categories: null });
    expect(check({ identifier: 'A.1', kind: 'CONTROL' }).fields.bindsOperator).toBeNull();
    expect(check({ identifier: 'Article 26', kind: 'ARTICLE', roles: ['DEPLOYER'] }).problems).toEqual(['Article 26: only obligations carry roles, categories, appliesFrom and condition']);
  });
});
