import * as assert from 'node:assert/strict';
import { parseSettings } from '../../../src/core/settings';
import { buildRequestBody } from '../../../src/model/requestBody';
import type { ToolDefinition } from '../../../src/model/types';

const defaults = parseSettings(() => undefined).settings;
const messages = [{ role: 'user' as const, content: 'hi' }];

describe('request body', () => {
  it('streams with usage and omits parameters left at the API defaults', () => {
    const body = buildRequestBody({ model: 'gpt-4o-mini', messages, sampling: defaults.chat.sampling, tokenLimitParameter: 'max_completion_tokens' });
    assert.deepEqual(body, {
      model: 'gpt-4o-mini',
      messages,
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.3,
      max_completion_tokens: 4096,
    });
  });

  it('uses max_tokens for endpoints that only know it', () => {
    const body = buildRequestBody({ model: 'llama3', messages, sampling: defaults.completion.sampling, tokenLimitParameter: 'max_tokens' });
    assert.equal(body.max_tokens, 256);
    assert.equal('max_completion_tokens' in body, false);
  });

  it('puts the feature\'s stop sequences first and never sends more than four', () => {
    const sampling = { ...defaults.chat.sampling, stop: ['END', '\n\n', 'x', 'y'] };
    const body = buildRequestBody({ model: 'm', messages, sampling, overrides: { stop: ['\n', '```'] }, tokenLimitParameter: 'max_completion_tokens' });
    assert.deepEqual(body.stop, ['\n', '```', 'END', '\n\n']);
  });

  it('sends every sampling parameter the user changed', () => {
    const sampling = {
      ...defaults.chat.sampling,
      topP: 0.9,
      seed: 7,
      frequencyPenalty: 0.5,
      presencePenalty: -0.5,
      logitBias: { '100': -100 },
      logprobs: true,
      topLogprobs: 2,
    };
    const body = buildRequestBody({ model: 'm', messages, sampling, overrides: { maxCompletionTokens: 5, temperature: 0 }, tokenLimitParameter: 'max_completion_tokens' });
    assert.equal(body.top_p, 0.9);
    assert.equal(body.seed, 7);
    assert.equal(body.frequency_penalty, 0.5);
    assert.equal(body.presence_penalty, -0.5);
    assert.deepEqual(body.logit_bias, { '100': -100 });
    assert.equal(body.logprobs, true);
    assert.equal(body.top_logprobs, 2);
    assert.equal(body.max_completion_tokens, 5);
    assert.equal(body.temperature, 0);
  });

  it('declares tools as strict functions and can forbid further calls', () => {
    const tool: ToolDefinition = {
      name: 'read_file',
      description: 'Read a file',
      parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'], additionalProperties: false },
      run: async () => '',
    };
    const body = buildRequestBody({ model: 'm', messages, sampling: defaults.chat.sampling, tools: [tool], toolChoice: 'none', tokenLimitParameter: 'max_completion_tokens' });
    assert.deepEqual(body.tools, [{ type: 'function', function: { name: 'read_file', description: 'Read a file', parameters: tool.parameters, strict: true } }]);
    assert.equal(body.tool_choice, 'none');
  });
});
