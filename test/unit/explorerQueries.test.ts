import { parse, validate } from 'graphql';
import { buildSchema } from '../../src/server';
import { OPERATIONS } from '../../web/queries';

const schema = buildSchema();

test.each(Object.entries(OPERATIONS))('the explorer’s %s operation is valid against the schema', (_name, text) => {
  expect(validate(schema, parse(text)).map((error) => error.message)).toEqual([]);
});
