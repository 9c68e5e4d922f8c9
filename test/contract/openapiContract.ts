// Strict contract checker for OpenAI's Chat Completions API, driven by OpenAI's published OpenAPI
// description (../shared/openai/openapi.json, never copied into the project). Tests use it to prove that
// the requests Kestrel sends, and the responses, stream chunks and errors our fake server sends back,
// are exactly what the real API accepts and produces. Two checks run on every payload:
//  1. JSON Schema validation (ajv, 2020-12) after rewriting the OpenAPI-isms ajv cannot read;
//  2. an unknown-field walk, because most OpenAI object schemas allow extra properties, so a misspelled
//     field (`max_completion_token`) would otherwise pass silently while the real API ignores or rejects it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';

export type ContractKind = 'request' | 'response' | 'streamChunk' | 'error' | 'modelList';

export interface OpenApiContract {
  /** Problems found in `payload`, each prefixed with a JSON path (`$.messages[1].role`); [] when valid. */
  validate(kind: ContractKind, payload: unknown): string[];
}

/** The `components.schemas` entry that each kind of payload must satisfy. */
export const CONTRACT_SCHEMAS: Readonly<Record<ContractKind, string>> = {
  request: 'CreateChatCompletionRequest',
  response: 'CreateChatCompletionResponse',
  streamChunk: 'CreateChatCompletionStreamResponse',
  error: 'ErrorResponse',
  modelList: 'ListModelsResponse',
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The project root: the nearest folder above `from` whose package.json is named "kestrel". */
function findProjectRoot(from: string): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    try {
      const pkg: unknown = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      if (isObj(pkg) && pkg.name === 'kestrel') return dir;
    } catch { /* no (readable) package.json here: keep walking up */ }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** OPENAI_OPENAPI_SPEC if set, else ../shared/openai/openapi.json beside the project root. */
export function specPath(): string {
  const fromEnv = process.env.OPENAI_OPENAPI_SPEC;
  if (fromEnv) return path.resolve(fromEnv);
  // Compiled tests run from out/test/...; fall back to the cwd for builds placed outside the tree.
  const root = findProjectRoot(__dirname) ?? findProjectRoot(process.cwd());
  if (!root) throw new Error(`openapiContract: no package.json named "kestrel" above ${__dirname} or ${process.cwd()}`);
  return path.join(root, '..', 'shared', 'openai', 'openapi.json');
}

const SCHEMA_PREFIX = '#/components/schemas/';
const DOC_ID = 'https://kestrel.invalid/openai-openapi.json';
// Where JSON Schema 2020-12 keeps subschemas. Everything else (enum, default, example, x-*) is data,
// so the rewrite below never mistakes a property that happens to be called `nullable` for the keyword.
const MAP_KEYS = new Set(['properties', 'patternProperties', '$defs', 'dependentSchemas']);
const ONE_KEYS = new Set(['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains',
  'propertyNames', 'unevaluatedProperties', 'unevaluatedItems']);
const LIST_KEYS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);

/** Copies an OpenAPI schema as plain 2020-12: `nullable: true` becomes a null alternative and
 *  component refs point into `$defs`; the names of referenced components are added to `refs`. */
function rewrite(schema: unknown, refs: Set<string>): unknown {
  if (!isObj(schema)) return schema;
  const out: Obj = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'nullable') continue;
    if (k === '$ref' && typeof v === 'string' && v.startsWith(SCHEMA_PREFIX)) {
      refs.add(v.slice(SCHEMA_PREFIX.length));
      out[k] = `#/$defs/${v.slice(SCHEMA_PREFIX.length)}`;
    } else if (MAP_KEYS.has(k) && isObj(v)) {
      out[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, rewrite(s, refs)]));
    } else if (ONE_KEYS.has(k)) out[k] = rewrite(v, refs);
    else if (LIST_KEYS.has(k) && Array.isArray(v)) out[k] = v.map((s) => rewrite(s, refs));
    else out[k] = v;
  }
  if (schema.nullable !== true) return out;
  if (typeof out.type === 'string' && out.const === undefined) {
    out.type = [out.type, 'null'];
    // An enum must list null too, or `finish_reason: null` would still fail.
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [out, { type: 'null' }] }; // $ref, oneOf, const...: keep them intact, add null beside.
}

/** Whether `value` has one of the JSON types that `schema.type` allows (or `schema` sets none). */
function typeFits(schema: Obj, value: unknown): boolean {
  const allowed = typeof schema.type === 'string' ? [schema.type] : schema.type;
  if (!Array.isArray(allowed)) return true;
  const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  return allowed.includes(actual) || (allowed.includes('integer') && Number.isInteger(value));
}
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

interface Shape { props: Map<string, unknown[]>; items: unknown[]; extra: unknown[]; open: boolean }

class Contract implements OpenApiContract {
  // verbose: errors carry their parentSchema, which lets validate() drop errors from non-matching branches.
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false, verbose: true });
  private readonly validators = new Map<ContractKind, ValidateFunction>();

  constructor(private readonly defs: Obj) {
    this.ajv.addSchema({ $id: DOC_ID, $defs: defs });
  }

  validate(kind: ContractKind, payload: unknown): string[] {
    let check = this.validators.get(kind);
    if (!check) { // compiled lazily: only the kinds a test run needs, once per process
      check = this.ajv.getSchema(`${DOC_ID}#/$defs/${CONTRACT_SCHEMAS[kind]}`);
      if (!check) throw new Error(`openapiContract: cannot compile ${CONTRACT_SCHEMAS[kind]}`);
      this.validators.set(kind, check);
    }
    const unknown: string[] = [];
    const visited = new Map<string, Set<unknown>>();
    this.walk(payload, [this.defs[CONTRACT_SCHEMAS[kind]]], '', unknown, visited);
    if (check(payload)) return unknown;
    // anyOf/oneOf report every failing branch ("must be null", "must have required property 'text'"...).
    // Keep the errors of the branches the payload fits (see fits), unless that would leave none.
    const errors = check.errors ?? [];
    const relevant = errors.filter((e) => visited.get(e.instancePath)?.has(e.parentSchema));
    return [...new Set([...describeErrors(relevant.length > 0 ? relevant : errors), ...unknown])];
  }

  private resolve(schema: unknown): unknown {
    const ref = isObj(schema) ? schema.$ref : undefined;
    return typeof ref === 'string' && ref.startsWith('#/$defs/') ? this.defs[ref.slice(8)] : undefined;
  }

  /** Cheap discriminator: could `value` be an instance of this branch? Looks at type, const/enum
   *  (roles, content part `type`s) and, unless `loose`, required names, one level deep; ajv does the
   *  real validation. */
  private fits(schema: unknown, value: unknown, loose = false, depth = 0, seen = new Set<unknown>()): boolean {
    if (typeof schema === 'boolean' || !isObj(schema) || seen.has(schema)) return schema !== false;
    const inner = new Set(seen).add(schema); // the schemas on this path: a $ref cycle must not loop
    const target = this.resolve(schema);
    if (target !== undefined && !this.fits(target, value, loose, depth, inner)) return false;
    if (!typeFits(schema, value) || ('const' in schema && !same(schema.const, value))) return false;
    if (Array.isArray(schema.enum) && !schema.enum.some((e) => same(e, value))) return false;
    if (Array.isArray(schema.allOf) && !schema.allOf.every((s) => this.fits(s, value, loose, depth, inner))) return false;
    for (const key of ['anyOf', 'oneOf'] as const) {
      const branches = schema[key];
      if (Array.isArray(branches) && !branches.some((s) => this.fits(s, value, loose, depth, inner))) return false;
    }
    if (!isObj(value) || depth > 0) return true;
    if (!loose && Array.isArray(schema.required) && schema.required.some((r) => typeof r === 'string' && !(r in value))) return false;
    const props = isObj(schema.properties) ? schema.properties : {};
    return Object.entries(props).every(([k, s]) => !(k in value) || this.fits(s, value[k], loose, depth + 1));
  }

  /** Gathers the property names, property/extra/item schemas that `schema` allows for `value`, through
   *  $ref and allOf, and through the anyOf/oneOf branches that `value` fits best (all of them if none does).
   *  `seen` ends up holding every schema that applies to `value`. */
  private collect(schema: unknown, value: unknown, shape: Shape, seen: Set<unknown>): void {
    if (schema === true || (isObj(schema) && Object.keys(schema).length === 0)) shape.open = true;
    if (!isObj(schema) || seen.has(schema)) return;
    seen.add(schema);
    const target = this.resolve(schema);
    if (target !== undefined) this.collect(target, value, shape, seen);
    if (!typeFits(schema, value)) return;
    for (const [name, s] of Object.entries(isObj(schema.properties) ? schema.properties : {})) {
      shape.props.set(name, [...(shape.props.get(name) ?? []), s]);
    }
    // A name listed only in `required` is still a name the schema knows.
    for (const name of Array.isArray(schema.required) ? schema.required : []) {
      if (typeof name === 'string' && !shape.props.has(name)) shape.props.set(name, []);
    }
    const extra = schema.additionalProperties;
    if (extra === true || isObj(extra) || isObj(schema.patternProperties)) shape.open = true;
    if (isObj(extra)) shape.extra.push(extra);
    if (isObj(schema.patternProperties)) shape.extra.push(...Object.values(schema.patternProperties));
    if (schema.items !== undefined) shape.items.push(schema.items);
    if (Array.isArray(schema.prefixItems)) shape.items.push(...schema.prefixItems);
    for (const s of Array.isArray(schema.allOf) ? schema.allOf : []) this.collect(s, value, shape, seen);
    for (const key of ['anyOf', 'oneOf'] as const) {
      const branches: unknown[] = Array.isArray(schema[key]) ? schema[key] : [];
      // A payload missing a required field still belongs to the branch its role/type names.
      let fitting = branches.filter((b) => this.fits(b, value));
      if (fitting.length === 0) fitting = branches.filter((b) => this.fits(b, value, true));
      for (const b of fitting.length > 0 ? fitting : branches) this.collect(b, value, shape, seen);
    }
  }

  /** Walks `value` (at JSON pointer `at`) with the schemas that apply to it: reports each property that
   *  none of them names, and records in `visited` which schemas apply at each pointer. */
  private walk(value: unknown, schemas: unknown[], at: string, out: string[], visited: Map<string, Set<unknown>>): void {
    const shape: Shape = { props: new Map(), items: [], extra: [], open: false };
    const seen = new Set<unknown>();
    for (const s of schemas) this.collect(s, value, shape, seen);
    visited.set(at, seen);
    if (Array.isArray(value)) value.forEach((item, i) => this.walk(item, shape.items, `${at}/${i}`, out, visited));
    if (!isObj(value)) return;
    // No named properties at all means a free-form object (`{type: object}`, tool `parameters`...).
    const open = shape.open || shape.props.size === 0;
    for (const [key, item] of Object.entries(value)) {
      const where = `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      const sub = shape.props.get(key);
      if (sub || open) this.walk(item, sub ?? shape.extra, where, out, visited);
      else out.push(`${toPath(where)}: unknown property "${key}"${suggest(key, [...shape.props.keys()])} (the schema does not name it)`);
    }
  }
}

function pathJoin(at: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${at}.${key}` : `${at}[${JSON.stringify(key)}]`;
}

/** A JSON pointer (`/messages/0/role`, as ajv reports it) as a readable path (`$.messages[0].role`). */
function toPath(pointer: string): string {
  return pointer.split('/').slice(1).map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : pathJoin(acc, seg)), '$');
}

/** `; did you mean "x"?` for a near miss (Levenshtein distance <= 2), else ''. */
function suggest(key: string, names: string[]): string {
  const distance = (a: string, b: string): number => {
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const next = [i];
      for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      row = next;
    }
    return row[b.length];
  };
  const best = names.map((n) => ({ n, d: distance(key, n) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= 2 ? `; did you mean "${best.n}"?` : '';
}

/** ajv errors as `$.path: message`, merging the per-branch type/enum errors that anyOf/oneOf produce
 *  and dropping the anyOf/oneOf summary when a more precise error at or below that path explains it. */
function describeErrors(errors: ErrorObject[]): string[] {
  const merged = new Map<string, { keyword: string; values: unknown[] }>();
  const out: string[] = [];
  for (const e of errors) {
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') {
      const explained = errors.some((o) => o.keyword !== 'anyOf' && o.keyword !== 'oneOf' && `${o.instancePath}/`.startsWith(`${e.instancePath}/`));
      if (!explained) out.push(`${toPath(e.instancePath)}: ${e.message ?? e.keyword}`);
    } else if (e.keyword === 'type' || e.keyword === 'enum') {
      const key = `${e.instancePath}\u0000${e.keyword}`;
      const found = merged.get(key) ?? { keyword: e.keyword, values: [] };
      const params: unknown = e.params;
      const value = isObj(params) ? (e.keyword === 'type' ? params.type : params.allowedValues) : undefined;
      found.values.push(...(Array.isArray(value) ? value : [value]));
      merged.set(key, found);
    } else {
      const extra = e.keyword === 'additionalProperties' && isObj(e.params) ? ` ("${String(e.params.additionalProperty)}")` : '';
      out.push(`${toPath(e.instancePath)}: ${e.message ?? e.keyword}${extra}`);
    }
  }
  for (const [key, { keyword, values }] of merged) {
    const list = [...new Set(values.map((v) => (keyword === 'type' ? String(v) : JSON.stringify(v))))].join(' | ');
    out.push(`${toPath(key.split('\u0000')[0])}: ${keyword === 'type' ? `must be of type ${list}` : `must be one of ${list}`}`);
  }
  return out;
}

const cache = new Map<string, Contract>();

/** The contract for the spec at specPath(), compiled once per process; undefined when the file is absent. */
export function loadOpenApiContract(): OpenApiContract | undefined {
  const file = specPath();
  const cached = cache.get(file);
  if (cached) return cached;
  if (!fs.existsSync(file)) return undefined;
  const spec: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  const schemas = isObj(spec) && isObj(spec.components) && isObj(spec.components.schemas) ? spec.components.schemas : undefined;
  if (!schemas) throw new Error(`openapiContract: ${file} has no components.schemas`);
  // Only the schemas reachable from the five roots are rewritten and handed to ajv (about 75 of 1,400).
  const defs: Obj = {};
  const todo = new Set<string>(Object.values(CONTRACT_SCHEMAS));
  for (const name of todo) {
    if (!(name in schemas)) throw new Error(`openapiContract: ${file} has no schema ${name}`);
    defs[name] = rewrite(schemas[name], todo); // adds newly referenced names to `todo`, which this loop visits
  }
  const contract = new Contract(defs);
  cache.set(file, contract);
  return contract;
}

/** For suites: the contract; or, when the spec is absent, a loud warning and undefined (the suite then
 *  skips itself), unless KESTREL_REQUIRE_OPENAPI=1 (CI), which turns the absence into an error. */
export function loadOpenApiContractForSuite(warn: (line: string) => void = console.warn): OpenApiContract | undefined {
  const contract = loadOpenApiContract();
  if (contract) return contract;
  const where = `OpenAI OpenAPI spec not found at ${specPath()} (set OPENAI_OPENAPI_SPEC to its path)`;
  if (process.env.KESTREL_REQUIRE_OPENAPI === '1') throw new Error(`${where}; KESTREL_REQUIRE_OPENAPI=1 requires it`);
  warn(`WARNING: ${where}: SKIPPING the OpenAPI contract tests`);
  return undefined;
}
