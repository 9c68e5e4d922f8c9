import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { excludeLevels } from '../../../src/core/pathExclusions';
import { connectionFingerprint, OPENAI_BASE_URL, parseExcludeLevels, parseSettings, SETTING_DEFAULTS } from '../../../src/core/settings';

const parse = (values: Record<string, unknown>) => parseSettings((key) => values[key]);

describe('settings', () => {
  it('uses GPT-4o mini on OpenAI with separate completion and chat sampling by default', () => {
    const { settings, problems } = parse({});
    assert.deepEqual(problems, []);
    assert.equal(settings.connection.provider, 'openai');
    assert.equal(settings.connection.baseUrl, OPENAI_BASE_URL);
    assert.equal(settings.connection.tokenLimitParameter, 'max_completion_tokens');
    assert.equal(settings.completion.model, 'gpt-4o-mini');
    assert.equal(settings.chat.model, 'gpt-4o-mini');
    assert.equal(settings.completion.sampling.temperature, 0.1);
    assert.equal(settings.completion.sampling.maxCompletionTokens, 256);
    assert.equal(settings.chat.sampling.maxCompletionTokens, 4096);
    assert.equal(settings.completion.timeoutMs, 5000);
    assert.equal(settings.chat.timeoutMs, 120_000);
  });

  it('lets each feature override the model', () => {
    const { settings } = parse({ model: 'gpt-4o', 'completion.model': 'gpt-4o-mini', 'chat.model': '' });
    assert.equal(settings.completion.model, 'gpt-4o-mini');
    assert.equal(settings.chat.model, 'gpt-4o');
  });

  it('falls back to the default and explains when a value is invalid', () => {
    const { settings, problems } = parse({ 'chat.temperature': 7, 'completion.maxCompletionTokens': 1.5, provider: 'anthropic' });
    assert.equal(settings.chat.sampling.temperature, 0.3);
    assert.equal(settings.completion.sampling.maxCompletionTokens, 256);
    assert.equal(settings.connection.provider, 'openai');
    assert.equal(problems.length, 3);
    assert.match(problems.join('\n'), /kestrel\.chat\.temperature" must be a number from 0 to 2/);
    assert.match(problems.join('\n'), /kestrel\.provider" must be one of openai, azure, openai-compatible/);
  });

  it('sends max_tokens to other OpenAI-compatible servers unless told otherwise', () => {
    const local = parse({ provider: 'openai-compatible', baseUrl: 'http://localhost:11434/v1/' }).settings.connection;
    assert.equal(local.tokenLimitParameter, 'max_tokens');
    assert.equal(local.baseUrl, 'http://localhost:11434/v1', 'a trailing slash is trimmed');
    const modern = parse({ provider: 'openai-compatible', baseUrl: 'http://x/v1', tokenLimitParameter: 'max_completion_tokens' });
    assert.equal(modern.settings.connection.tokenLimitParameter, 'max_completion_tokens');
  });

  it('refuses base URLs that are not http(s) or that carry credentials', () => {
    for (const baseUrl of ['ftp://host/v1', 'not a url', 'https://user:secret@host/v1']) {
      const { settings, problems } = parse({ baseUrl });
      assert.equal(settings.connection.baseUrl, OPENAI_BASE_URL, baseUrl);
      assert.equal(problems.length, 1, baseUrl);
    }
  });

  it('asks for a base URL and a deployment where the provider needs them', () => {
    assert.match(parse({ provider: 'openai-compatible' }).problems.join(), /kestrel\.baseUrl" is needed/);
    assert.match(parse({ provider: 'azure', baseUrl: 'https://r.openai.azure.com' }).problems.join(), /deployment/);
  });

  it('keeps credentials and malformed headers out of the extra headers', () => {
    const { settings, problems } = parse({
      extraHeaders: { 'X-Team': 'compilers', Authorization: 'Bearer sk-123', 'api-key': 'k', 'Bad Header': 'x', 'X-Inject': 'a\r\nb' },
    });
    assert.deepEqual(settings.connection.extraHeaders, { 'X-Team': 'compilers' });
    assert.equal(problems.length, 4);
    assert.ok(!problems.join().includes('sk-123'), 'a problem message never repeats a header value');
  });

  it('validates stop sequences, seed, logit bias and logprobs', () => {
    const { settings, problems } = parse({
      'chat.stop': ['a', 'b', 'c', 'd', 'e'],
      'completion.stop': ['\n\n'],
      'chat.seed': 42,
      'completion.seed': 1.5,
      'chat.logitBias': { '1734': -100 },
      'completion.logitBias': { hello: 5 },
      'chat.logprobs': true,
      'chat.topLogprobs': 3,
      'completion.topLogprobs': 5,
    });
    assert.deepEqual(settings.chat.sampling.stop, []);
    assert.deepEqual(settings.completion.sampling.stop, ['\n\n']);
    assert.equal(settings.chat.sampling.seed, 42);
    assert.equal(settings.completion.sampling.seed, undefined);
    assert.deepEqual(settings.chat.sampling.logitBias, { '1734': -100 });
    assert.deepEqual(settings.completion.sampling.logitBias, {});
    assert.equal(settings.chat.sampling.topLogprobs, 3);
    assert.equal(settings.completion.sampling.topLogprobs, 0, 'top_logprobs only goes with logprobs');
    assert.equal(problems.length, 3);
  });

  it('has the same defaults as package.json, which the Settings UI shows', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../../package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { default: unknown; scope?: string }> }[] };
    };
    const declared = Object.assign({}, ...manifest.contributes.configuration.map((section) => section.properties)) as Record<
      string,
      { default: unknown; scope?: string }
    >;
    const declaredDefaults = Object.fromEntries(Object.entries(declared).map(([key, value]) => [key.replace(/^kestrel\./, ''), value.default]));
    assert.deepEqual(declaredDefaults, SETTING_DEFAULTS);
  });

  it('keeps the settings that decide where code and keys go out of workspace settings', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../../package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { scope?: string }> }[] };
    };
    const declared = Object.assign({}, ...manifest.contributes.configuration.map((section) => section.properties)) as Record<string, { scope?: string }>;
    for (const key of ['provider', 'baseUrl', 'extraHeaders', 'caFile', 'azure.deployment', 'azure.apiVersion']) {
      assert.ok(['application', 'machine'].includes(declared[`kestrel.${key}`]?.scope ?? ''), `kestrel.${key} must be application or machine scoped`);
    }
  });

  it('keeps budgets and prices out of workspace settings, so a repository cannot switch a budget off', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../../package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { scope?: string }> }[] };
    };
    const declared = Object.assign({}, ...manifest.contributes.configuration.map((section) => section.properties)) as Record<string, { scope?: string }>;
    // chat.maxConversations prunes chats kept for every workspace: a repository must not set it to 1.
    for (const key of ['budget.dailyUsd', 'budget.monthlyUsd', 'prices', 'chat.maxConversations']) {
      assert.equal(declared[`kestrel.${key}`]?.scope, 'application', `kestrel.${key} must be application scoped`);
    }
  });

  it("ignores an untrusted workspace's choice of model and request size (Restricted Mode)", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../../package.json'), 'utf8')) as {
      capabilities: { untrustedWorkspaces: { restrictedConfigurations?: string[] } };
      contributes: { configuration: { properties: Record<string, unknown> }[] };
    };
    const declared = Object.assign({}, ...manifest.contributes.configuration.map((section) => section.properties)) as Record<string, unknown>;
    const restricted = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations ?? [];
    for (const key of restricted) assert.ok(key in declared, `${key} is restricted but not a setting`);
    // A repository could otherwise bill an expensive model, or the largest requests, to the user.
    const costly = Object.keys(declared).filter((key) => /(^kestrel\.|\.)(model|maxCompletionTokens|contextTokens|maxRounds|maxOutputTokens|logitBias)$/.test(key));
    assert.ok(costly.length >= 9, `found ${costly.length}`);
    for (const key of costly) assert.ok(restricted.includes(key), `${key} must be in restrictedConfigurations`);
  });

  it("adds up kestrel.exclude from every level, so a repository's settings cannot drop the user's patterns", () => {
    const levels = excludeLevels({ globalValue: ['*.secret'], workspaceValue: [], workspaceFolderValue: ['config/private/**', '*.secret'] });
    assert.deepEqual(parseExcludeLevels(levels), { patterns: ['*.secret', 'config/private/**'], problems: [] });
    assert.deepEqual(parseExcludeLevels(excludeLevels(undefined)), { patterns: [], problems: [] });
    // A repository's broken value is reported and left out; the user's patterns still apply.
    for (const broken of ['private/**', ['x', 1]]) {
      const invalid = parseExcludeLevels(excludeLevels({ globalValue: ['*.secret'], workspaceValue: broken }));
      assert.deepEqual(invalid.patterns, ['*.secret'], JSON.stringify(broken));
      assert.match(invalid.problems.join('\n'), /kestrel\.exclude" must be a list of texts/);
    }
  });

  it('changes the connection fingerprint for the endpoint, its headers, certificate and models, and for nothing else', () => {
    const base = { provider: 'azure', baseUrl: 'https://x.openai.azure.com', 'azure.deployment': 'd1' };
    const fingerprint = (values: Record<string, unknown>) => connectionFingerprint(parse({ ...base, ...values }).settings);
    const before = fingerprint({});
    for (const unrelated of [{ 'completion.enabled': false }, { 'completion.languages': { markdown: true } }, { 'completion.debounceMilliseconds': 200 }, { 'budget.dailyUsd': 1 }, { exclude: ['a/**'] }, { 'tools.enabled': false }]) {
      assert.equal(fingerprint(unrelated), before, JSON.stringify(unrelated));
    }
    for (const relevant of [{ baseUrl: 'https://y.openai.azure.com' }, { 'azure.deployment': 'd2' }, { 'azure.apiVersion': '2025-01-01' }, { extraHeaders: { 'x-team': 'a' } }, { caFile: '/ca.pem' }, { model: 'gpt-4o' }, { 'completion.model': 'gpt-4.1-nano' }, { 'chat.model': 'gpt-4o' }, { provider: 'openai-compatible' }, { tokenLimitParameter: 'max_tokens' }]) {
      assert.notEqual(fingerprint(relevant), before, JSON.stringify(relevant));
    }
  });
});
