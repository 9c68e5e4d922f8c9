import * as assert from 'node:assert/strict';
import { SaveThrottle } from '../../../src/features/chat/saveThrottle';

describe('save throttle', () => {
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('saves the first change at once, then at most once per interval, one save at a time', async () => {
    let clock = 0;
    let saves = 0;
    let running = 0;
    let overlapped = false;
    const throttle = new SaveThrottle(
      async () => {
        overlapped ||= running > 0;
        running++;
        saves++;
        await pause(50);
        running--;
      },
      40,
      () => clock,
    );
    throttle.request();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(saves, 1, 'the first change is saved at once');
    for (clock = 5; clock < 40; clock += 5) throttle.request();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(saves, 1, 'changes within the interval wait');
    // The interval passes while the first save still runs: the second waits for it to end.
    await pause(45);
    await throttle.settle();
    assert.equal(saves, 2, 'the changes are saved together once the interval has passed');
    assert.equal(overlapped, false);
  });

  it('settle drops a save not yet started and waits for the running one', async () => {
    let finished = 0;
    const throttle = new SaveThrottle(async () => {
      await pause(10);
      finished++;
    }, 1000);
    throttle.request();
    throttle.request();
    await throttle.settle();
    assert.equal(finished, 1);
    await pause(20);
    assert.equal(finished, 1, 'the waiting save was dropped (the caller saves the final state itself)');
  });
});
