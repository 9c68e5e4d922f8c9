import * as assert from 'node:assert/strict';
import { titleFromQuestion } from '../../../../src/core/chat/chatTypes';
import { fitToTokens, looksBinary } from '../../../../src/core/chat/attachmentText';
import { costOf, priceOf } from '../../../../src/core/pricing';

describe('chat titles, attachment limits and prices', () => {
  it('titles a chat with the first line of its first question, cut at a word', () => {
    assert.equal(titleFromQuestion('  How do I sort a Map by value?\nMore detail'), 'How do I sort a Map by value?');
    assert.equal(titleFromQuestion('word '.repeat(30), 20), 'word word word word…');
    assert.equal(titleFromQuestion('   '), 'New chat');
  });

  it('tells binary content from text', () => {
    assert.equal(looksBinary('const a = 1;\n'), false);
    assert.equal(looksBinary('PK\u0003\u0004\u0000\u0000'), true);
    assert.equal(looksBinary('\uFFFD'.repeat(50) + 'abc'), true);
    assert.equal(looksBinary('naïve café – “quotes”'), false);
  });

  it('cuts text beyond the budget at a whole line and says how much was kept', () => {
    const text = Array.from({ length: 1000 }, (_, i) => `const value${i} = compute(${i});`).join('\n');
    const fitted = fitToTokens(text, 500);
    assert.ok(fitted.tokens <= 500);
    assert.ok(fitted.keptLines > 10 && fitted.keptLines < 1000);
    assert.equal(fitted.totalLines, 1000);
    assert.equal(fitted.text, text.split('\n').slice(0, fitted.keptLines).join('\n'));
    assert.deepEqual(fitToTokens('short', 500), { text: 'short', tokens: 1, keptLines: 1, totalLines: 1 });
  });

  it('prices GPT-4o mini from its card, including dated and prefixed names, and nothing for unknown models', () => {
    assert.deepEqual(priceOf('gpt-4o-mini'), { input: 0.15e-6, cachedInput: 0.075e-6, output: 0.6e-6 });
    assert.equal(priceOf('gpt-4o-mini-2024-07-18'), priceOf('gpt-4o-mini'));
    assert.equal(priceOf('openai/gpt-4o-mini'), priceOf('gpt-4o-mini'));
    assert.notEqual(priceOf('gpt-4o'), priceOf('gpt-4o-mini'));
    assert.equal(priceOf('llama3.1:8b'), undefined);
    // 1M prompt tokens (half cached) and 1M answer tokens.
    assert.ok(Math.abs(costOf('gpt-4o-mini', { promptTokens: 1e6, cachedPromptTokens: 5e5, completionTokens: 1e6 }) - (0.075 + 0.0375 + 0.6)) < 1e-9);
    assert.equal(costOf('llama3.1:8b', { promptTokens: 1e6, completionTokens: 1e6 }), 0);
  });
});

describe('attachment limits on huge text', () => {
  it('cuts a 20 MB document at a whole line and still counts all its lines', () => {
    const line = 'const value = compute(value, 42); // a typical line of code\n';
    const huge = line.repeat(Math.ceil(20e6 / line.length));
    const fitted = fitToTokens(huge, 12_000);
    assert.ok(fitted.tokens <= 12_000 && fitted.keptLines > 500);
    assert.equal(fitted.totalLines, huge.split('\n').length);
    assert.ok(fitted.text.endsWith('line of code'), 'ends at a whole line');
  });
});
