/**
 * The chat benchmark's answer: a deterministic markdown answer shaped like a long model reply
 * (headings, paragraphs with inline markup and links, tight and loose lists, a table, a quote, a
 * remote image, and code blocks in nine languages), cut to an exact o200k token count and split
 * into the token strings a model would stream.
 */
import { decode, encode } from 'gpt-tokenizer/cjs/encoding/o200k_base';

const CODE: { lang: string; body: string }[] = [
  {
    lang: 'ts',
    body: `import { EventEmitter } from 'node:events';

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Retries \`task\` with exponential backoff and full jitter. */
export async function withRetry<T>(task: (attempt: number) => Promise<T>, policy: RetryPolicy, signal?: AbortSignal): Promise<T> {
  let lastError: unknown;
  for (let attempt = 0; attempt < policy.attempts; attempt++) {
    signal?.throwIfAborted();
    try {
      return await task(attempt);
    } catch (error) {
      lastError = error;
      const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * cap));
    }
  }
  throw lastError;
}

export class Progress extends EventEmitter {
  private done = 0;

  constructor(private readonly total: number) {
    super();
  }

  step(): void {
    this.done++;
    this.emit('progress', this.done / this.total);
  }
}`,
  },
  {
    lang: 'python',
    body: `from dataclasses import dataclass, field
from typing import Iterable


@dataclass
class Histogram:
    """Counts values into fixed-width buckets."""

    width: float
    counts: dict[int, int] = field(default_factory=dict)

    def add(self, value: float) -> None:
        bucket = int(value // self.width)
        self.counts[bucket] = self.counts.get(bucket, 0) + 1

    def extend(self, values: Iterable[float]) -> "Histogram":
        for value in values:
            self.add(value)
        return self

    def percentile(self, p: float) -> float:
        total = sum(self.counts.values())
        seen = 0
        for bucket in sorted(self.counts):
            seen += self.counts[bucket]
            if seen / total >= p / 100:
                return (bucket + 1) * self.width
        return 0.0


if __name__ == "__main__":
    h = Histogram(width=5).extend([1, 7, 12, 3, 44, 18])
    print(f"p50={h.percentile(50)} p90={h.percentile(90)}")`,
  },
  {
    lang: 'bash',
    body: `#!/usr/bin/env bash
set -euo pipefail

# Build, test and package in one go; stop at the first failure.
npm ci --no-audit --no-fund
npm run typecheck
npm test -- --reporter dot
for target in linux-x64 darwin-arm64 win32-x64; do
  echo "packaging for \${target}"
  npx vsce package --target "\${target}" --out "dist/kestrel-\${target}.vsix"
done
ls -lh dist/*.vsix`,
  },
  {
    lang: 'json',
    body: `{
  "name": "retry-demo",
  "version": "1.2.0",
  "scripts": {
    "build": "tsc -p .",
    "test": "mocha out/test/**/*.test.js"
  },
  "dependencies": { "undici": "^6.19.0" },
  "devDependencies": { "typescript": "~5.9.3", "mocha": "^11.8.0" }
}`,
  },
  {
    lang: 'rust',
    body: `use std::collections::HashMap;

#[derive(Debug, Default)]
pub struct Lru<K, V> {
    capacity: usize,
    tick: u64,
    entries: HashMap<K, (u64, V)>,
}

impl<K: std::hash::Hash + Eq + Clone, V> Lru<K, V> {
    pub fn new(capacity: usize) -> Self {
        Self { capacity, tick: 0, entries: HashMap::new() }
    }

    pub fn get(&mut self, key: &K) -> Option<&V> {
        self.tick += 1;
        let tick = self.tick;
        self.entries.get_mut(key).map(|entry| {
            entry.0 = tick;
            &entry.1
        })
    }

    pub fn put(&mut self, key: K, value: V) {
        if self.entries.len() >= self.capacity && !self.entries.contains_key(&key) {
            if let Some(oldest) = self.entries.iter().min_by_key(|(_, (t, _))| *t).map(|(k, _)| k.clone()) {
                self.entries.remove(&oldest);
            }
        }
        self.tick += 1;
        self.entries.insert(key, (self.tick, value));
    }
}`,
  },
  {
    lang: 'go',
    body: `package main

import (
	"context"
	"fmt"
	"time"
)

func worker(ctx context.Context, id int, jobs <-chan int, results chan<- string) {
	for {
		select {
		case <-ctx.Done():
			return
		case job, ok := <-jobs:
			if !ok {
				return
			}
			results <- fmt.Sprintf("worker %d finished job %d", id, job)
		}
	}
}

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	jobs, results := make(chan int), make(chan string)
	for i := 0; i < 3; i++ {
		go worker(ctx, i, jobs, results)
	}
	go func() { for j := 0; j < 9; j++ { jobs <- j }; close(jobs) }()
	for k := 0; k < 9; k++ {
		fmt.Println(<-results)
	}
}`,
  },
  {
    lang: 'sql',
    body: `-- Daily active users per plan, last 30 days.
SELECT date_trunc('day', e.created_at) AS day,
       a.plan,
       COUNT(DISTINCT e.user_id)        AS active_users
FROM events e
JOIN accounts a ON a.id = e.account_id
WHERE e.created_at >= now() - interval '30 days'
  AND e.kind IN ('completion.accepted', 'chat.sent')
GROUP BY 1, 2
ORDER BY 1 DESC, 3 DESC;`,
  },
  {
    lang: 'diff',
    body: `--- a/src/retry.ts
+++ b/src/retry.ts
@@ -12,7 +12,8 @@ export async function withRetry<T>(
     } catch (error) {
       lastError = error;
-      await sleep(policy.baseDelayMs);
+      const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
+      await sleep(Math.random() * cap);
     }
   }`,
  },
  {
    lang: 'yaml',
    body: `name: ci
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        node: [20, 22]
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: \${{ matrix.node }}
      - run: npm ci
      - run: npm test`,
  },
];

function section(i: number): string {
  const code = CODE[i % CODE.length];
  const n = i + 1;
  const parts = [
    `## ${n}. Step ${n}: ${['Retry with backoff', 'Measure latency', 'Automate the build', 'Configure the package', 'Cache results', 'Run work in parallel', 'Query usage', 'Review the change', 'Set up CI'][i % 9]}`,
    `The **first** thing to notice is that \`withRetry\` never sleeps after the *last* attempt, so a caller that gives up early still sees the original error. See the [Node.js timers guide](https://nodejs.org/en/learn/asynchronous-work/understanding-setimmediate) and https://developer.mozilla.org/en-US/docs/Web/API/AbortSignal for the details of cancellation; in short, pass the \`signal\` down and check it before each attempt.`,
    `- Keep the policy small: \`attempts\`, \`baseDelayMs\`, \`maxDelayMs\`.\n- Use full jitter so clients do not retry in lockstep.\n  - Nested detail: cap the delay before randomising it.\n- Log each retry with its attempt number.`,
    `\`\`\`${code.lang}\n${code.body}\n\`\`\``,
    `1. Run the tests once to see the baseline.\n\n2. Apply the change above and run them again.\n\n   If a test is flaky, run it alone with \`--grep\` to confirm.\n\n3. Compare the timings in the report.`,
  ];
  if (i % 3 === 1) parts.push(`| Setting | Default | Why |\n|:--|--:|:-:|\n| attempts | 3 | enough for transient errors |\n| baseDelayMs | 250 | fast first retry |\n| maxDelayMs | 8000 | bounded wait |`);
  if (i % 4 === 2) parts.push(`> **Note:** a retry is only safe when the request is idempotent; a \`POST\` that creates\n> something needs an idempotency key first.`);
  if (i === 1) parts.push(`![Latency histogram](https://example.com/charts/latency.png?run=42)`);
  return parts.join('\n\n');
}

export interface BenchAnswer {
  markdown: string;
  /** The answer as streamed: one entry per o200k token; joined they give `markdown`. */
  chunks: string[];
}

/** The answer cut to `tokenCount` tokens (at a token boundary, so possibly mid-block). */
export function buildAnswer(tokenCount: number): BenchAnswer {
  const sections = ['Here is a complete walk-through, step by step, with code you can paste.'];
  let ids = encode(sections[0]);
  for (let i = 0; ids.length < tokenCount; i++) {
    sections.push(section(i));
    ids = encode(sections.join('\n\n') + '\n');
  }
  const chunks = ids.slice(0, tokenCount).map((id) => decode([id]));
  const markdown = chunks.join('');
  if (!(sections.join('\n\n') + '\n').startsWith(markdown)) throw new Error('token strings do not join back into the answer');
  return { markdown, chunks };
}
