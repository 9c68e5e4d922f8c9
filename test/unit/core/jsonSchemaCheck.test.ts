import * as assert from 'node:assert/strict';
import { checkJsonSchema, type JsonSchema } from '../../../src/core/jsonSchemaCheck';

const readFile: JsonSchema = {
  type: 'object',
  properties: {
    path: { type: 'string', minLength: 1 },
    startLine: { type: ['integer', 'null'], minimum: 1 },
    mode: { type: 'string', enum: ['text', 'lines'] },
    tags: { type: 'array', items: { type: 'string' }, maxItems: 2 },
  },
  required: ['path', 'startLine', 'mode', 'tags'],
  additionalProperties: false,
};

describe('checkJsonSchema (strict tool arguments)', () => {
  it('accepts arguments that fit', () => {
    assert.deepEqual(checkJsonSchema(readFile, { path: 'src/a.ts', startLine: null, mode: 'text', tags: [] }), []);
    assert.deepEqual(checkJsonSchema(readFile, { path: 'a', startLine: 3, mode: 'lines', tags: ['x'] }), []);
  });

  it('names each problem with its path', () => {
    const problems = checkJsonSchema(readFile, { path: '', startLine: 0.5, mode: 'binary', tags: [1, 'a', 'b'], extra: true });
    assert.deepEqual(problems, [
      '$.path must be at least 1 characters long',
      '$.startLine must be integer or null, got number 0.5',
      '$.mode must be one of "text", "lines"',
      '$.tags must be at most 2 items long',
      '$.tags[0] must be string, got number 1',
      '$.extra is not an allowed property',
    ]);
  });

  it('reports missing required properties and wrong top-level types', () => {
    assert.deepEqual(checkJsonSchema(readFile, { path: 'a', mode: 'text', tags: [] }), ['$.startLine is required']);
    assert.deepEqual(checkJsonSchema(readFile, ['a']), ['$ must be object, got an array']);
    assert.deepEqual(checkJsonSchema(readFile, null), ['$ must be object, got null']);
  });

  it('accepts a value matching any branch of anyOf', () => {
    const schema: JsonSchema = { anyOf: [{ type: 'string' }, { type: 'object', properties: { n: { type: 'number' } }, required: ['n'], additionalProperties: false }] };
    assert.deepEqual(checkJsonSchema(schema, 'x'), []);
    assert.deepEqual(checkJsonSchema(schema, { n: 1 }), []);
    assert.equal(checkJsonSchema(schema, { m: 1 }).length, 1);
  });
});
