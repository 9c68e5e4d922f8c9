import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { encode } from 'gpt-tokenizer/cjs/encoding/o200k_base';
import { estimatePromptTokens, estimateTextTokens } from '../../../src/core/tokenEstimate';

const root = path.join(__dirname, '../../../..');
// Real code nobody on this team wrote, in three languages, from installed packages.
const samples = [
  'node_modules/openai/src/client.ts',
  'node_modules/mocha/lib/runner.js',
  'node_modules/picomatch/lib/parse.js',
  'node_modules/typescript/lib/lib.es5.d.ts',
].map((file) => path.join(root, file));

describe('token estimate', () => {
  it('stays within 12% of the o200k tokenizer on real source files', () => {
    for (const file of samples) {
      const text = fs.readFileSync(file, 'utf8').slice(0, 30_000);
      const ratio = estimateTextTokens(text) / encode(text).length;
      assert.ok(ratio > 0.88 && ratio < 1.12, `${path.basename(file)}: estimate/actual = ${ratio.toFixed(3)}`);
    }
  });

  it('does not undercount base64, Chinese/Japanese/Korean or other scripts by half (a tool output cap relies on it)', () => {
    const bytes = Uint8Array.from({ length: 12_000 }, (_, i) => (i * 7919 + (i >> 3) * 104729) % 256);
    const texts = {
      base64: Buffer.from(bytes).toString('base64'),
      'base64 in lines': Buffer.from(bytes).toString('base64').replace(/(.{76})/g, '$1\n'),
      hex: Buffer.from(bytes.slice(0, 4000)).toString('hex'),
      cjk: '这是一个用于测试的中文句子，其中包含一些常见的词语和标点符号。日本語の文章もここに含まれています。한국어 문장도 포함되어 있습니다.'.repeat(40),
      cyrillic: 'Это предложение на русском языке, чтобы проверить оценку количества токенов. '.repeat(40),
      'package-lock.json': fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8').slice(0, 30_000),
    };
    for (const [name, text] of Object.entries(texts)) {
      const ratio = estimateTextTokens(text) / encode(text).length;
      assert.ok(ratio > 0.8 && ratio < 1.3, `${name}: estimate/actual = ${ratio.toFixed(3)}`);
    }
  });

  it('counts words, numbers, symbols and whitespace', () => {
    assert.equal(estimateTextTokens(''), 0);
    assert.equal(estimateTextTokens('return value;'), 3);
    assert.equal(estimateTextTokens('x = 1234'), 4);
  });

  it('adds message overhead and bills images at low detail when their size is unknown', () => {
    const text = estimatePromptTokens([{ role: 'user', content: 'hello world' }]);
    assert.equal(text, 3 + 4 + 2);
    const image = estimatePromptTokens([{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:' } }] }]);
    assert.equal(image, 3 + 4 + 2833);
  });
});
