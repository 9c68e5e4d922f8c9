/**
 * A small validator for the JSON Schema subset that OpenAI's strict function calling accepts
 * (type, properties, required, additionalProperties, enum, items, anyOf, and simple bounds).
 *
 * Why not trust the model: strict mode is not guaranteed with parallel tool calls, and
 * OpenAI-compatible servers may ignore `strict` entirely, so every tool argument is checked here
 * before a tool runs. Why not ajv: it would more than double the extension bundle for a subset
 * this small.
 */

export type JsonSchemaType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

export interface JsonSchema {
  type?: JsonSchemaType | JsonSchemaType[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: JsonSchema;
  enum?: readonly (string | number | boolean | null)[];
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
}

/** Checks `value` against `schema`; returns readable problems (empty when valid). */
export function checkJsonSchema(schema: JsonSchema, value: unknown, path = '$'): string[] {
  if (schema.anyOf) {
    const branches = schema.anyOf.map((branch) => checkJsonSchema(branch, value, path));
    if (branches.some((problems) => problems.length === 0)) return [];
    return [`${path} matches none of the allowed shapes (${branches.map((p) => p[0]).join('; ')})`];
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((type) => hasType(value, type))) return [`${path} must be ${types.join(' or ')}, got ${describe(value)}`];
  }
  if (schema.enum && !schema.enum.some((allowed) => allowed === value)) {
    return [`${path} must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`];
  }
  if (typeof value === 'number') return checkBounds(path, value, schema.minimum, schema.maximum, '');
  if (typeof value === 'string') return checkBounds(path, value.length, schema.minLength, schema.maxLength, ' characters long');
  if (Array.isArray(value)) {
    const problems = checkBounds(path, value.length, schema.minItems, schema.maxItems, ' items long');
    if (schema.items) value.forEach((item, i) => problems.push(...checkJsonSchema(schema.items!, item, `${path}[${i}]`)));
    return problems;
  }
  if (isPlainObject(value)) return checkObject(schema, value, path);
  return [];
}

function checkObject(schema: JsonSchema, value: Record<string, unknown>, path: string): string[] {
  const problems: string[] = [];
  for (const key of schema.required ?? []) {
    if (!(key in value)) problems.push(`${path}.${key} is required`);
  }
  for (const [key, item] of Object.entries(value)) {
    const property = schema.properties?.[key];
    if (property) problems.push(...checkJsonSchema(property, item, `${path}.${key}`));
    else if (schema.additionalProperties === false) problems.push(`${path}.${key} is not an allowed property`);
  }
  return problems;
}

function checkBounds(path: string, n: number, min: number | undefined, max: number | undefined, unit: string): string[] {
  if (min !== undefined && n < min) return [`${path} must be at least ${min}${unit}`];
  if (max !== undefined && n > max) return [`${path} must be at most ${max}${unit}`];
  return [];
}

function hasType(value: unknown, type: JsonSchemaType): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isPlainObject(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'string':
    case 'boolean':
      return typeof value === type;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}
