import express, { Express, NextFunction, Request, Response } from 'express';
import { GraphQLError } from 'graphql';
import { Access, Principal } from '../auth/access';
import type { Config } from '../config';
import { badUserInput, InputProblem } from '../errors';
import { ExportDependencies, one, sendError } from '../exportHttp';

export const SIGNALS_PATH = '/api/v1/signals';

/**
 * Each non-blank line a JSON object; problems name the line (1-based), so that a sender can find
 * it in what it sent.
 */
export function readJsonLines(body: string): { items: unknown[]; lines: number[]; problems: InputProblem[] } {
  const items: unknown[] = [];
  const lines: number[] = [];
  const problems: InputProblem[] = [];
  body.split('\n').forEach((text, index) => {
    if (text.trim() === '') return;
    try {
      items.push(JSON.parse(text));
      lines.push(index + 1);
    } catch {
      problems.push({ path: `line ${index + 1}`, message: 'not valid JSON' });
    }
  });
  return { items, lines, problems };
}

/**
 * POST /api/v1/signals: monitoring signals as JSON lines (`application/x-ndjson`, one signal per
 * line, as recordSignals takes them, the asset by id or by {type, externalId}), authenticated with
 * a SYNC key (the source is the key's) or as ADMIN with `?source=`. One transaction per request:
 * 201 with what was recorded and the rules that fired; 400 naming each bad line, 403 for an asset
 * of another source, and nothing written; 503 while the database is away (safe to send again only
 * when it was refused: a committed batch counted twice would count twice).
 */
export function mountSignals(app: Express, deps: ExportDependencies & { config: Config }): void {
  const text = express.text({ type: () => true, limit: deps.config.limits.maxBodyBytes });
  app.post(SIGNALS_PATH, text, async (req, res) => {
    const started = Date.now();
    let principal: Principal | undefined;
    let status = 500;
    try {
      principal = await deps.authenticate(req.headers.authorization);
      const body = typeof req.body === 'string' ? req.body : '';
      const { items, lines, problems } = readJsonLines(body);
      if (problems.length > 0) throw badUserInput(`Invalid signals: ${problems[0].path}: ${problems[0].message}`, problems);
      const context = deps.createContext('RecordSignals', principal);
      const result = await context.services.signals.record(one(req.query.source), items, (index) => `line ${lines[index]}`);
      status = 201;
      res.status(status).json({
        source: result.source,
        recorded: result.recorded,
        kept: result.kept,
        buckets: result.buckets,
        firings: result.firings.map((firing) => ({
          rule: { id: firing.rule.id, name: firing.rule.name },
          asset: { id: firing.asset.id, type: firing.asset.type, name: firing.asset.name },
          incident: { id: firing.incident.id, name: firing.incident.name },
          opened: firing.opened,
          kind: firing.kind,
          count: firing.count,
          markedCompromised: firing.markedCompromised,
        })),
      });
    } catch (error) {
      status = refuse(res, error, deps);
    } finally {
      deps.logger.info('request', { operation: 'RecordSignals', caller: principal ? new Access(principal).actor : null, role: principal?.role ?? null, status, durationMs: Date.now() - started });
    }
  });
  // Body-parser's refusals (too large) in the route's own error shape.
  app.use(SIGNALS_PATH, (error: { status?: number; type?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (typeof error?.status !== 'number' || error.status >= 500) return next(error);
    const tooLarge = error.type === 'entity.too.large';
    res.status(error.status).json({ error: { code: 'BAD_REQUEST', message: tooLarge ? `The body exceeds ${deps.config.limits.maxBodyBytes} bytes (MAX_BODY_BYTES)` : 'The body could not be read' } });
  });
}

/** Refusals with their problems (bad input, another source's asset), so that a sender can fix them. */
function refuse(res: Response, error: unknown, deps: ExportDependencies): number {
  const code = error instanceof GraphQLError ? error.extensions.code : undefined;
  if (code === 'BAD_USER_INPUT' || (code === 'FORBIDDEN' && error instanceof GraphQLError && error.extensions.problems)) {
    const status = code === 'FORBIDDEN' ? 403 : 400;
    res.status(status).json({ error: { code, message: (error as GraphQLError).message, problems: (error as GraphQLError).extensions.problems ?? [] } });
    return status;
  }
  sendError(res, error, deps.logger);
  return res.statusCode;
}
