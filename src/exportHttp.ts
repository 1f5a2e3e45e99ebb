import type { Response } from 'express';
import { GraphQLError } from 'graphql';
import type { Authenticate } from './auth/authenticate';
import type { ContextFactory } from './context';
import { ErrorCode, HTTP_STATUS } from './errors';
import type { Logger } from './logger';

/** What every export route (compliance's, the formats') is mounted with. */
export interface ExportDependencies {
  createContext: ContextFactory;
  authenticate: Authenticate;
  logger: Logger;
}

/**
 * Browsers open the exports straight from the API: no content sniffing (a CSV or Markdown file is
 * never run as HTML), and a policy that lets the HTML page use its inline styles and nothing else.
 */
export const EXPORT_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

/** A query parameter given once and not empty. */
export const one = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

/** Coded errors become the status a client expects; anything else is logged and masked. */
export function sendError(res: Response, error: unknown, logger: Logger): void {
  const code = (error instanceof GraphQLError ? String(error.extensions.code ?? '') : '') as ErrorCode;
  const status = HTTP_STATUS[code] ?? 500;
  if (status === 500) logger.error('export failed', { error: error instanceof Error ? error.message : String(error) });
  res.status(status).json({ error: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : code, message: status === 500 ? 'Internal server error' : (error as Error).message } });
}
