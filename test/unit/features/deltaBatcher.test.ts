import * as assert from 'node:assert/strict';
import { DeltaBatcher } from '../../../src/features/chat/deltaBatcher';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('streamed text batching', () => {
  it('sends the first words at once and the rest in one batch per interval', async () => {
    const sent: string[] = [];
    const batcher = new DeltaBatcher((text) => sent.push(text), true, 20);
    batcher.add('Hello');
    assert.deepEqual(sent, ['Hello']);
    batcher.add(' wor');
    batcher.add('ld');
    assert.deepEqual(sent, ['Hello'], 'waits for the interval');
    await wait(40);
    assert.deepEqual(sent, ['Hello', ' world']);
    batcher.add('!');
    batcher.flush();
    assert.deepEqual(sent, ['Hello', ' world', '!'], 'flush sends what waits at once');
    await wait(40);
    assert.equal(sent.length, 3, 'and nothing twice');
  });

  it('batches a continuation from its first words (the answer is already on screen)', () => {
    const sent: string[] = [];
    const batcher = new DeltaBatcher((text) => sent.push(text), false, 20);
    batcher.add('more');
    assert.deepEqual(sent, []);
    batcher.flush();
    assert.deepEqual(sent, ['more']);
  });
});
