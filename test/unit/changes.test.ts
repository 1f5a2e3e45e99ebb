import { cursorOf, decodeChangeCursor, encodeChangeCursor, fieldChanges, IGNORED_RECORD_PROPERTIES, IGNORED_RELATIONSHIP_PROPERTIES, kindOf } from '../../src/history/changes';

/** What changes() decides over two states, without a database. */

test('fields that differ, by name; absent and null are the same; bookkeeping is not a change', () => {
  const before = { id: 'r', name: 'Scorer', tags: ['a'], riskTier: 'LOW', version: 3, updatedAt: '2026-01-01T00:00:00.000Z', validTo: '2026-02-01T00:00:00.000Z', purl: null };
  const after = { id: 'r', name: 'Scorer', tags: ['a', 'b'], version: 4, updatedAt: '2026-02-01T00:00:00.000Z', retiredAt: '2026-03-01T00:00:00.000Z', task: 'ranking' };
  expect(fieldChanges(before, after, IGNORED_RECORD_PROPERTIES)).toEqual([
    { field: 'riskTier', before: 'LOW', after: null },
    { field: 'tags', before: ['a'], after: ['a', 'b'] },
    { field: 'task', before: null, after: 'ranking' },
  ]);
  expect(fieldChanges(before, { ...before, version: 9, updatedAt: 'later' }, IGNORED_RECORD_PROPERTIES)).toEqual([]);
});

test('something added or removed lists every field it has against null', () => {
  expect(fieldChanges(null, { name: 'New', version: 1, description: null }, IGNORED_RECORD_PROPERTIES)).toEqual([{ field: 'name', before: null, after: 'New' }]);
  const relationship = { transformation: 'dedupe', sources: ['tool'], createdAt: 'x', validFrom: 'y', validTo: 'z', was: 'DERIVED_FROM' };
  expect(fieldChanges(relationship, null, IGNORED_RELATIONSHIP_PROPERTIES)).toEqual([{ field: 'transformation', before: 'dedupe', after: null }]);
  expect([kindOf(null, {}), kindOf({}, null), kindOf({}, {})]).toEqual(['ADDED', 'REMOVED', 'CHANGED']);
});

test('cursors name a record or a relationship, and anything else is BAD_USER_INPUT', () => {
  const record = { kind: 'CHANGED' as const, id: 'r1', entityType: 'AIModel' as const, before: null, after: null, fields: [] };
  const relationship = { kind: 'ADDED' as const, relationshipType: 'TRAINED_ON' as const, fromId: 'a', toId: 'b', before: null, after: null, fields: [] };
  expect(decodeChangeCursor(encodeChangeCursor(cursorOf(record)))).toEqual({ part: 'record', id: 'r1' });
  expect(decodeChangeCursor(encodeChangeCursor(cursorOf(relationship)))).toEqual({ part: 'relationship', key: 'a|TRAINED_ON|b' });
  for (const bad of ['', 'not a cursor', Buffer.from('["Scorer","id"]').toString('base64url'), Buffer.from('["record",1]').toString('base64url')]) {
    expect(() => decodeChangeCursor(bad)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }));
  }
});
