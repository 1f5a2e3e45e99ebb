/**
 * The pages' only way out: POSTs to the API's own GraphQL endpoint, with the API key the visitor
 * typed, which lives in sessionStorage (gone when the tab closes, never in localStorage or a
 * cookie).
 */
const KEY_STORAGE = 'lineage-graph.api-key';
/** The API's endpoint, which the server writes into the page it serves. */
export const GRAPHQL_PATH = document.querySelector<HTMLMetaElement>('meta[name="graphql-endpoint"]')?.content ?? '/graphql';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export const apiKey = {
  get: (): string | null => sessionStorage.getItem(KEY_STORAGE),
  set: (value: string) => (value.trim() ? sessionStorage.setItem(KEY_STORAGE, value.trim()) : sessionStorage.removeItem(KEY_STORAGE)),
};

/** The last operation sent, for the link that opens it in the playground. */
export let lastOperation: { query: string; variables: Record<string, unknown> } | undefined;

export async function graphql<Data>(query: string, variables: Record<string, unknown> = {}): Promise<Data> {
  lastOperation = { query, variables };
  const key = apiKey.get();
  const response = await fetch(GRAPHQL_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json().catch(() => ({}))) as { data?: Data; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  if (body.errors?.length) throw new ApiError(body.errors.map((error) => error.message).join('; '), body.errors[0].extensions?.code);
  if (!response.ok || body.data === undefined) throw new ApiError(`The API answered ${response.status}`, undefined);
  return body.data;
}

/** The playground, opened on an operation: it reads the query and variables from the URL's fragment. */
export function playgroundLink(operation = lastOperation): string {
  if (!operation) return GRAPHQL_PATH;
  const fragment = new URLSearchParams({ query: operation.query, variables: JSON.stringify(operation.variables, null, 2) });
  return `${GRAPHQL_PATH}#${fragment.toString()}`;
}
