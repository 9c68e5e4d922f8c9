import * as assert from 'node:assert/strict';
import { environmentKey, environmentKeyVariable } from '../../../src/core/environmentKey';

const env = { OPENAI_API_KEY: ' sk-from-env ', AZURE_OPENAI_API_KEY: 'azure-key' };

describe('environment key fallback', () => {
  it('gives OpenAI and https endpoints the OPENAI_API_KEY, trimmed', () => {
    assert.equal(environmentKey({ provider: 'openai', baseUrl: 'https://api.openai.com/v1' }, env), 'sk-from-env');
    assert.equal(environmentKey({ provider: 'openai-compatible', baseUrl: 'https://gateway.example.com/v1' }, env), 'sk-from-env');
  });

  it('sends it over plain http only to this machine', () => {
    for (const baseUrl of ['http://localhost:11434/v1', 'http://127.0.0.1:1234/v1', 'http://[::1]:8000/v1']) {
      assert.equal(environmentKey({ provider: 'openai-compatible', baseUrl }, env), 'sk-from-env', baseUrl);
    }
    for (const baseUrl of ['http://192.168.1.20:8000/v1', 'http://gpu-box.lan:11434/v1', 'http://localhost.example.com/v1', 'not a url']) {
      assert.equal(environmentKey({ provider: 'openai-compatible', baseUrl }, env), undefined, baseUrl);
    }
  });

  it('gives Azure only the Azure key, never an OpenAI one', () => {
    assert.equal(environmentKey({ provider: 'azure', baseUrl: 'https://r.openai.azure.com' }, env), 'azure-key');
    assert.equal(environmentKey({ provider: 'azure', baseUrl: 'https://r.openai.azure.com' }, { OPENAI_API_KEY: 'sk-openai' }), undefined);
    assert.equal(environmentKeyVariable('azure'), 'AZURE_OPENAI_API_KEY');
  });

  it('treats a blank variable as unset', () => {
    assert.equal(environmentKey({ provider: 'openai', baseUrl: 'https://api.openai.com/v1' }, { OPENAI_API_KEY: '  ' }), undefined);
  });
});
