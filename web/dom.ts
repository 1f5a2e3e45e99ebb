/**
 * Building the pages' DOM. Record names, descriptions and every other value from the API become
 * text nodes, never markup: a record named `<img onerror=…>` shows as those characters. Nothing
 * here takes HTML, and the Content-Security-Policy refuses inline scripts besides.
 */
import { apiKey, ApiError, playgroundLink } from './api';

type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== undefined && value !== false) element.setAttribute(name, String(value));
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

export const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

/** A field name as words: `containsPersonalData` → `contains personal data`. */
export const words = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();

export function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.map(formatValue).join(', ');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value)) return value.slice(0, 10);
  return String(value);
}

/** A status line that screen readers announce. */
export function say(message: string, kind: 'info' | 'error' = 'info'): void {
  const status = byId('status');
  status.dataset.kind = kind;
  status.textContent = message;
}

export function sayError(error: unknown): void {
  const unauthorised = error instanceof ApiError && (error.code === 'UNAUTHENTICATED' || error.code === 'FORBIDDEN');
  say(`${error instanceof Error ? error.message : String(error)}${unauthorised ? ' — enter an API key above.' : ''}`, 'error');
}

/** The key field: shows whether a key is kept, keeps a new one for this tab only. */
export function mountKeyForm(onChange: () => void): void {
  const form = byId<HTMLFormElement>('key-form');
  const input = byId<HTMLInputElement>('api-key');
  const state = byId('key-state');
  const show = () => (state.textContent = apiKey.get() ? 'key kept for this tab' : 'no key (anonymous)');
  show();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    apiKey.set(input.value);
    input.value = '';
    show();
    onChange();
  });
}

/** Keeps the "open in playground" link on the operation the page last ran. */
export function refreshPlaygroundLink(): void {
  byId<HTMLAnchorElement>('playground-link').href = playgroundLink();
}
