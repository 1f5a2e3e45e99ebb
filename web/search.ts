/** The type-ahead: a combobox over `entities(filter: { text })`, driven by mouse or keyboard. */
import { graphql } from './api';
import { byId, el, replace, sayError } from './dom';
import type { EntityType, RecordSummary } from './model';
import { SEARCH } from './queries';

const DELAY_MS = 200;

export function mountSearch(onPick: (record: RecordSummary) => void, type?: EntityType): { clear(): void; show(text: string): void } {
  const input = byId<HTMLInputElement>('search');
  const list = byId<HTMLUListElement>('search-results');
  let results: RecordSummary[] = [];
  let active = -1;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;

  // Closing also drops a look-up still waiting or in flight: its answer would reopen the list over
  // the page after a choice, a blur or an Escape.
  const close = () => {
    clearTimeout(timer);
    asked += 1;
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const highlight = (index: number) => {
    active = index;
    list.querySelectorAll('[role=option]').forEach((option, i) => option.setAttribute('aria-selected', String(i === index)));
    if (index >= 0) input.setAttribute('aria-activedescendant', `search-option-${index}`);
  };
  const pick = (record: RecordSummary) => {
    input.value = record.name;
    close();
    onPick(record);
  };
  const render = () => {
    replace(
      list,
      ...(results.length === 0
        ? [el('li', { class: 'none' }, 'No record matches')]
        : results.map((record, index) =>
            el(
              'li',
              { id: `search-option-${index}`, role: 'option', 'aria-selected': 'false', 'data-id': record.id, onmousedown: (event: Event) => (event.preventDefault(), pick(record)) },
              el('span', { class: `type-dot type-${record.__typename}` }),
              el('strong', {}, record.name),
              el('span', { class: 'muted' }, ` ${record.__typename} · ${record.source}/${record.externalId}`),
            ),
          )),
    );
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  };
  const lookUp = async (text: string) => {
    const ticket = ++asked;
    try {
      const data = await graphql<{ entities: { nodes: RecordSummary[] } }>(SEARCH, { text, type: type ?? null });
      // Answers can arrive out of order; only the latest question's is shown.
      if (ticket !== asked) return;
      results = data.entities.nodes;
      active = -1;
      render();
    } catch (error) {
      sayError(error);
    }
  };

  input.addEventListener('input', () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (text.length < 2) return close();
    timer = setTimeout(() => void lookUp(text), DELAY_MS);
  });
  input.addEventListener('keydown', (event) => {
    if (list.hidden || results.length === 0) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      highlight((active + (event.key === 'ArrowDown' ? 1 : results.length - 1)) % results.length);
    } else if (event.key === 'Enter' && active >= 0) {
      event.preventDefault();
      pick(results[active]);
    } else if (event.key === 'Escape') close();
  });
  input.addEventListener('blur', close);
  return {
    clear: () => {
      input.value = '';
      close();
    },
    show: (text: string) => (input.value = text),
  };
}
