// Unit tests of the test server's tokenizer helpers: reply splitting (never half a character per
// delta) and the prompt-token approximation that usage and prompt caching rely on.
import assert from 'node:assert/strict';
import { countTextTokens, encodeText, promptTokens, splitIntoPieces } from '../../fakes/tokens';

describe('test server tokens', () => {
  it('splits ASCII text into one piece per o200k token', () => {
    const text = 'Kestrel streams one token per delta.';
    const pieces = splitIntoPieces(text);
    assert.equal(pieces.length, countTextTokens(text));
    assert.ok(pieces.every((p) => p.tokens.length === 1));
    assert.equal(pieces.map((p) => p.text).join(''), text);
  });

  it('groups tokens that hold parts of one character, and names partial tokens by their bytes', () => {
    const text = 'Hi 🦅 there — 日本語';
    const pieces = splitIntoPieces(text);
    assert.equal(pieces.map((p) => p.text).join(''), text);
    assert.ok(pieces.every((p) => !p.text.includes('\uFFFD')));
    const eagle = pieces.find((p) => p.text.includes('🦅'));
    assert.ok(eagle && eagle.tokens.length > 1, 'the emoji spans several tokens');
    assert.match(eagle.tokens[0].token, /^bytes:(\\x[0-9a-f]{2})+$/);
    assert.deepEqual(eagle.tokens.flatMap((t) => t.bytes), [...Buffer.from(eagle.text, 'utf8')]);
  });

  it('truncates at a token limit', () => {
    const pieces = splitIntoPieces('one two three four', 2);
    assert.equal(pieces.map((p) => p.text).join(''), 'one two');
  });

  it('treats special-token text in user content as plain text', () => {
    assert.ok(encodeText('<|endoftext|>').length > 1);
  });

  it('counts a one-message prompt like the OpenAI cookbook (3 per message + 3 for the reply)', () => {
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] };
    assert.equal(promptTokens(body, { imageTokens: 85 }).length, 3 + 1 + 1 + 3);
  });

  it('counts image parts as a fixed number of tokens and tools before the messages', () => {
    const image = { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } };
    const body = { messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, image] }] };
    const withImage = promptTokens(body, { imageTokens: 85 }).length;
    const textOnly = promptTokens({ messages: [{ role: 'user', content: 'What is this?' }] }, { imageTokens: 85 }).length;
    assert.equal(withImage - textOnly, 85);
    const tools = [{ type: 'function', function: { name: 'read_file', parameters: { type: 'object' } } }];
    const withTools = promptTokens({ ...body, tools }, { imageTokens: 85 });
    assert.deepEqual(withTools.slice(0, encodeText(JSON.stringify(tools)).length), encodeText(JSON.stringify(tools)));
  });
});
