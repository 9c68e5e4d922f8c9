// Builds a ModelService wired to the OpenAI test server, with a recording logger and ledger, so
// model tests read as "what the user would see" rather than as set-up.
import { parseSettings, type KestrelSettings } from '../../../src/core/settings';
import { ModelService } from '../../../src/model/modelService';
import type { KestrelError } from '../../../src/model/errors';
import type { Feature, Logger, ModelEvent, ModelRequest } from '../../../src/model/types';
import { UsageLedger } from '../../../src/model/usageLedger';
import type { OpenAiTestServer } from '../../fakes/openaiTestServer';

export class RecordingLogger implements Logger {
  readonly lines: string[] = [];
  trace = (m: string) => this.lines.push(`trace ${m}`);
  debug = (m: string) => this.lines.push(`debug ${m}`);
  info = (m: string) => this.lines.push(`info ${m}`);
  warn = (m: string) => this.lines.push(`warn ${m}`);
  error = (m: string) => this.lines.push(`error ${m}`);
}

export interface Harness {
  service: ModelService;
  ledger: UsageLedger;
  log: RecordingLogger;
  errors: { error: KestrelError; feature: Feature }[];
  /** Mutable: tests change settings or the key between requests. */
  state: { settings: KestrelSettings; apiKey: string | undefined };
}

export function settingsFor(server: OpenAiTestServer, raw: Record<string, unknown> = {}): KestrelSettings {
  const { settings, problems } = parseSettings((key) => ({ baseUrl: server.baseUrl, ...raw })[key]);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return settings;
}

/** `apiKey: null` means no key at all. */
export function makeHarness(server: OpenAiTestServer, raw: Record<string, unknown> = {}, apiKey: string | null = 'sk-test-key'): Harness {
  const ledger = new UsageLedger();
  const log = new RecordingLogger();
  const errors: Harness['errors'] = [];
  const state = { settings: settingsFor(server, raw), apiKey: apiKey ?? undefined };
  const service = new ModelService({
    settings: () => state.settings,
    apiKey: async () => state.apiKey,
    usage: ledger,
    log,
    onError: (error, feature) => errors.push({ error, feature }),
  });
  return { service, ledger, log, errors, state };
}

/** Runs a request to the end and collects its events (or the error it ended with). */
export async function collect(service: ModelService, request: ModelRequest): Promise<{ events: ModelEvent[]; text: string; error?: KestrelError }> {
  const events: ModelEvent[] = [];
  try {
    for await (const event of service.stream(request)) events.push(event);
  } catch (error) {
    return { events, text: textOf(events), error: error as KestrelError };
  }
  return { events, text: textOf(events) };
}

export function textOf(events: readonly ModelEvent[]): string {
  return events.map((event) => (event.type === 'content' ? event.text : '')).join('');
}

export const ask = (content: string, feature: Feature = 'chat'): ModelRequest => ({ feature, messages: [{ role: 'user', content }] });
