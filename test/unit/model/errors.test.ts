import * as assert from 'node:assert/strict';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from 'openai';
import { redactSecrets, retryAfterFrom, toKestrelError } from '../../../src/model/errors';

const context = { model: 'gpt-4o-mini', baseUrl: 'https://api.openai.com/v1', secrets: ['sk-live-abcdef123456'] };
const body = (message: string) => ({ message, type: 'invalid_request_error', code: null, param: null });

describe('error mapping', () => {
  it('maps each failure to a kind the user can act on', () => {
    const cases: [unknown, string][] = [
      [new AuthenticationError(401, body('bad key'), 'bad key', new Headers()), 'auth'],
      [new PermissionDeniedError(403, body('region'), 'region', new Headers()), 'auth'],
      [new NotFoundError(404, body('model not found'), 'm', new Headers()), 'notFound'],
      [new RateLimitError(429, body('slow down'), 'slow down', new Headers({ 'retry-after': '3' })), 'rateLimit'],
      [new BadRequestError(400, body('image too large'), 'image too large', new Headers()), 'badRequest'],
      [new InternalServerError(503, body('overloaded'), 'overloaded', new Headers()), 'server'],
      [new APIConnectionTimeoutError(), 'timeout'],
      [new APIConnectionError({ message: 'ECONNREFUSED' }), 'network'],
      [new APIUserAbortError(), 'cancelled'],
      [new APIError(undefined, { message: 'mid-stream failure' }, undefined, undefined), 'interrupted'],
      [new TypeError('terminated'), 'interrupted'],
    ];
    for (const [error, kind] of cases) assert.equal(toKestrelError(error, context).kind, kind, String(error));
  });

  it('tells how long to wait after a 429, and names quota problems', () => {
    const limited = toKestrelError(new RateLimitError(429, body('slow down'), 'slow down', new Headers({ 'retry-after-ms': '2500' })), context);
    assert.equal(limited.details.retryAfterMs, 2500);
    assert.match(limited.message, /Try again in 3 s/);
    const quota = toKestrelError(new RateLimitError(429, body('You exceeded your current quota'), 'You exceeded your current quota', new Headers()), context);
    assert.match(quota.message, /quota/);
  });

  it('says which model and URL were not found', () => {
    assert.match(toKestrelError(new NotFoundError(404, body('x'), 'x', new Headers()), context).message, /gpt-4o-mini.*api\.openai\.com/);
  });

  it('never lets the key into a message, even when the server quotes it', () => {
    const quoted = 'Incorrect API key provided: sk-live-abcdef123456. You can find your API key at ...';
    const error = toKestrelError(new AuthenticationError(401, body(quoted), quoted, new Headers()), context);
    assert.ok(!error.message.includes('abcdef123456'));
    assert.ok(!(error.details.serverMessage ?? '').includes('abcdef123456'));
    assert.equal(redactSecrets('key sk-proj-ABCD_efgh-1234 and Bearer xyz'), 'key [redacted key] and Bearer [redacted]');
    assert.equal(redactSecrets('my-own-secret-token here', ['my-own-secret-token']), '[redacted] here');
  });

  it('reads retry-after as seconds, as a date, or as milliseconds', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(retryAfterFrom(new Headers({ 'retry-after': '2' }), now), 2000);
    assert.equal(retryAfterFrom(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }), now), 5000);
    assert.equal(retryAfterFrom(new Headers({ 'retry-after-ms': '150', 'retry-after': '9' }), now), 150);
    assert.equal(retryAfterFrom(new Headers(), now), undefined);
  });
});
