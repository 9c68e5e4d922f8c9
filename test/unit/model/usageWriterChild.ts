// A second VS Code window, as far as the ledger file is concerned: a separate Node process that
// records `count` requests through its own UsageLedger into the shared folder, all at once, as soon
// as the parent says go. Started by usageStore.test.ts with child_process.fork.
import { UsageLedger } from '../../../src/model/usageLedger';
import { UsageStore } from '../../../src/model/usageStore';

const [folder, countText, tag] = process.argv.slice(2);
const ledger = new UsageLedger({ store: new UsageStore({ folder }) });

process.on('message', async (message) => {
  if (message !== 'go') return;
  const count = Number(countText);
  for (let i = 0; i < count; i++) {
    // Distinct, known numbers per writer so the parent can check exact sums.
    ledger.record({
      feature: i % 2 === 0 ? 'completion' : 'chat',
      model: `gpt-4o-mini-${tag}`,
      promptTokens: 1000 + i,
      cachedPromptTokens: 0,
      completionTokens: 1,
      imageTokens: 0,
      latencyMs: 1,
      firstTokenMs: undefined,
      outcome: 'ok',
      estimated: false,
      at: Date.now(),
      usd: 0.001,
    });
  }
  await ledger.flushed();
  process.send!('done', () => process.exit(0));
});
process.send!('ready');
