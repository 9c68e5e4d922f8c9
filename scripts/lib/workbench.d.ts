// Types for workbench.js, so TypeScript tests (test/e2e, test/support) can use the launcher.
import type { Browser, Page } from 'playwright-core';

export interface ServerOptions {
  /** Default: a free port. */
  port?: number;
  /** Workspace folder to open. */
  folder?: string;
  /** Where user-data/, extensions/ and xdg-config/ go; default: a new temp folder removed on stop. */
  dataDir?: string;
  /** User settings merged over DEFAULT_SETTINGS (welcome pages, telemetry, update checks off). */
  settings?: Record<string, unknown>;
  /** false leaves out --disable-workspace-trust, so the folder opens in Restricted Mode. Default true. */
  trustWorkspace?: boolean;
  /** Extra environment for code-server and its extension host. */
  env?: Record<string, string>;
  logFile?: string;
  inheritOutput?: boolean;
}

export interface CodeServer {
  port: number;
  pid: number;
  dataDir: string;
  userDataDir: string;
  extensionsDir: string;
  logFile: string;
  stop(): Promise<void>;
}

export interface WorkbenchOptions extends ServerOptions {
  extensionDevelopmentPath: string | string[];
  extensionTestsPath?: string;
  onLog?: (type: string, text: string) => void;
  onExit?: (code: number) => void;
  viewport?: { width: number; height: number };
  headed?: boolean;
}

export interface Workbench {
  server: CodeServer;
  port: number;
  url: string;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

export function startServer(options?: ServerOptions): Promise<CodeServer>;
export function startWorkbench(options: WorkbenchOptions): Promise<Workbench>;
export function workbenchUrl(options: { port: number; folder?: string; extensionDevelopmentPath: string | string[]; extensionTestsPath?: string }): string;
export function remoteUri(port: number, file: string): string;
export function freePort(): Promise<number>;
export const DEFAULT_SETTINGS: Record<string, unknown>;
