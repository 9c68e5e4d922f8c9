import * as assert from 'node:assert/strict';
import { csvField, usageCsv } from '../../../../src/core/usage/usageCsv';
import { parseUsageLine, serializeUsage } from '../../../../src/core/usage/usageRecord';
import { usageRecord } from './fixtures';

describe('usage CSV export and record lines', () => {
  it('quotes fields as RFC 4180 says', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField(undefined), '');
  });

  it('writes a header and one CRLF-terminated row per request, oldest first', () => {
    const later = usageRecord({ at: Date.UTC(2026, 10, 27, 12), model: 'team,"gateway"/gpt-4o-mini', usd: 0.00012345 });
    const earlier = usageRecord({ at: Date.UTC(2026, 10, 26, 12), feature: 'vision', imageTokens: 25_501, firstTokenMs: undefined });
    const csv = usageCsv([later, earlier]);
    const lines = csv.split('\r\n');
    assert.equal(lines.length, 4, 'header, two rows, and the final line end');
    assert.equal(lines[3], '');
    assert.match(lines[0], /^time_utc,local_day,feature,model,outcome,prompt_tokens,cached_prompt_tokens,completion_tokens,image_tokens_estimated/);
    assert.ok(lines[1].startsWith('2026-11-26T12:00:00.000Z,'));
    assert.ok(lines[1].includes(',vision,gpt-4o-mini,ok,1000,0,100,25501,false,400,,'), lines[1]);
    assert.ok(lines[2].includes(',"team,""gateway""/gpt-4o-mini",'), lines[2]);
    assert.ok(lines[2].includes(',0.00012345,'), lines[2]);
  });

  it('reads back what it writes and refuses lines that are not records', () => {
    const record = usageRecord();
    assert.deepEqual(parseUsageLine(serializeUsage(record)), record);
    assert.equal(parseUsageLine('{"id":"x"}'), undefined);
    assert.equal(parseUsageLine('not json'), undefined);
    assert.equal(parseUsageLine(JSON.stringify({ ...record, feature: 'mining' })), undefined);
    assert.equal(parseUsageLine(JSON.stringify({ ...record, usd: -1 })), undefined);
    assert.ok(serializeUsage(record).length < 4096, 'one line stays under the size of an atomic append');
  });
});
