import { GraphQLError } from 'graphql';

export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'SERVICE_UNAVAILABLE'
  | 'TIMEOUT'
  | 'INTERNAL_SERVER_ERROR';

/** The one mapping from error codes to HTTP statuses, for the routes that answer outside GraphQL. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TIMEOUT: 504,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_SERVER_ERROR: 500,
};

export function codedError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

export interface InputProblem {
  /** Where in the input the problem is, e.g. `assets.aiModels[3].riskTier`. */
  path: string;
  message: string;
}

export function badUserInput(message: string, problems: InputProblem[] = []): GraphQLError {
  return codedError('BAD_USER_INPUT', message, problems.length > 0 ? { problems } : {});
}

/** One error that lists every problem (at least one), so that a client fixes a payload in one round. */
export function invalidInput(problems: InputProblem[], what: string): GraphQLError {
  const first = problems[0];
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  return badUserInput(`Invalid ${what}: ${first.path}: ${first.message}${more}`, problems);
}

export function failOnProblems(problems: InputProblem[], what: string): void {
  if (problems.length > 0) throw invalidInput(problems, what);
}

export const notFound = (what: string) => codedError('NOT_FOUND', `${what} not found`);
export const conflict = (message: string, extensions: Record<string, unknown> = {}) => codedError('CONFLICT', message, extensions);

/** A record the request relied on was changed or removed by another request first; retrying is safe. */
export const concurrentChange = () => conflict('A record this request relies on was changed or deleted by a concurrent request; read it again and retry', { retryable: true });
