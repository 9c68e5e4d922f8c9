import * as assert from 'node:assert/strict';
import { apiHighDetailSize, fitForDetail, imageTokens, tilesFor } from '../../../src/core/vision/imageTokens';

describe('image token arithmetic (GPT-4o mini)', () => {
  it('matches the published figures', () => {
    // 1920x1080 at high detail: 1365x768 after scaling, 3 x 2 tiles.
    assert.deepEqual(apiHighDetailSize({ width: 1920, height: 1080 }), { width: 1365, height: 768 });
    assert.equal(tilesFor({ width: 1920, height: 1080 }), 6);
    assert.equal(imageTokens({ width: 1920, height: 1080 }, 'high'), 36_835);
    assert.equal(imageTokens({ width: 1920, height: 1080 }, 'low'), 2833);
    // A 4096x8192 image: fitted to 1024x2048, then 768x1536: 2 x 3 tiles.
    assert.deepEqual(apiHighDetailSize({ width: 4096, height: 8192 }), { width: 768, height: 1536 });
    assert.equal(tilesFor({ width: 4096, height: 8192 }), 6);
    // Small images are not scaled up: one tile.
    assert.equal(imageTokens({ width: 300, height: 200 }, 'high'), 2833 + 5667);
  });

  it('sends a 1080p screenshot at 4 tiles by default and nothing over 512 px at low detail', () => {
    const sent = fitForDetail({ width: 1920, height: 1080 }, 'high', 1024);
    assert.deepEqual(sent, { width: 1024, height: 576 });
    assert.equal(tilesFor(sent), 4);
    assert.equal(imageTokens(sent, 'high'), 25_501);
    assert.deepEqual(fitForDetail({ width: 1920, height: 1080 }, 'low', 1024), { width: 512, height: 288 });
    assert.deepEqual(fitForDetail({ width: 200, height: 100 }, 'high', 1024), { width: 200, height: 100 });
  });
});
