/**
 * Composition root: builds Kestrel's services once and lets each feature register itself.
 * Activation stays cheap (no network, no file reads): everything heavier happens on first use.
 */
import * as vscode from 'vscode';
import { ApiKeyStore } from './host/apiKeyStore';
import { SettingsStore } from './host/configuration';
import { KeyProblemNotifier } from './host/keyPrompt';
import { KestrelStatusBar } from './host/statusBar';
import { registerChat } from './features/chat/registerChat';
import type { ChatSession } from './features/chat/chatSession';
import type { ChatViewProvider } from './features/chat/chatViewProvider';
import { excludedFiles } from './host/exclusions';
import { registerKeyCommands } from './features/setup/keyCommands';
import { registerGeneralCommands } from './features/setup/generalCommands';
import { registerTestConnection } from './features/setup/testConnection';
import { registerCompletion } from './features/completion/registerCompletion';
import { registerTools } from './features/tools/registerTools';
import type { CompletionSwitch } from './features/completion/completionSwitch';
import { ModelService } from './model/modelService';
import { UsageLedger } from './model/usageLedger';
import { UsageStore } from './model/usageStore';
import { BudgetGuard } from './model/budgetGate';
import { describeBudget } from './core/usage/budget';
import { connectionFingerprint } from './core/settings';
import { formatUsd } from './shared/format';
import { BudgetAlerts } from './features/usage/budgetAlerts';
import { registerUsage } from './features/usage/registerUsage';
import type { UsageStatusItem } from './features/usage/usageStatusItem';
import type { UsagePanel } from './features/usage/usagePanel';

/** What the extension hands to its own integration tests (only in test mode). */
export interface KestrelTestApi {
  modelService: ModelService;
  usage: UsageLedger;
  budget: BudgetGuard;
  usageStatus: UsageStatusItem;
  status: KestrelStatusBar;
  usagePanel: UsagePanel;
  keyNotifier: KeyProblemNotifier;
  completionSwitch: CompletionSwitch;
  chatSession: ChatSession;
  chatView: ChatViewProvider;
  /** The folder VS Code writes Kestrel's log into. */
  logUri: vscode.Uri;
}

const WELCOMED_KEY = 'kestrel.welcomed';

export function activate(context: vscode.ExtensionContext): KestrelTestApi | undefined {
  const log = vscode.window.createOutputChannel('Kestrel', { log: true });
  const settings = new SettingsStore(log);
  const keys = new ApiKeyStore(context.secrets);
  const status = new KestrelStatusBar();
  // The ledger file is shared by every window of this profile; it is read after activation.
  const usageStore = new UsageStore({ folder: vscode.Uri.joinPath(context.globalStorageUri, 'usage').fsPath });
  const usage = new UsageLedger({ store: usageStore, log, onProblem: (message) => void vscode.window.showWarningMessage(`Kestrel: ${message}`) });
  activeLedger = usage;
  const budgetAlerts = new BudgetAlerts(context.globalState);
  const budget = new BudgetGuard({
    ledger: usage,
    limits: () => settings.settings.budget,
    confirm: (state, feature) => budgetAlerts.confirm(state, feature),
    onUnpricedModel: (model) => {
      const message = `Kestrel: "${model}" has no price in kestrel.prices, so your budget cannot count what it costs. Add its price (zeros for a free local model).`;
      void vscode.window.showWarningMessage(message, 'Open Prices').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'kestrel.prices');
      });
    },
  });
  const keyNotifier = new KeyProblemNotifier();
  const modelService = new ModelService({
    settings: () => settings.settings,
    apiKey: async (connection) => (await keys.get(connection)).key,
    readCaFile: async (path) => new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(path))),
    usage,
    budget,
    log,
    onError: (error, feature) => {
      if (error.kind !== 'auth') return;
      // Completions pause until the key changes; the status bar shows why.
      completion.completionSwitch.recordFailure(error);
      // The connection test reports its own result; everything else gets the one notification.
      if (feature !== 'connection-test') keyNotifier.notify(error);
    },
  });
  const exclusions = excludedFiles(settings);
  const isExcluded = () => exclusions.isExcluded;
  const budgetPause = () => {
    const reached = budget.blocking();
    return reached && describeBudget(reached, formatUsd);
  };
  const completion = registerCompletion({ model: modelService, settings, status, globalState: context.globalState, log, isExcluded, budgetPause });
  const usageFeature = registerUsage({
    extensionUri: context.extensionUri,
    settings,
    ledger: usage,
    store: usageStore,
    guard: budget,
    alerts: budgetAlerts,
    log,
    budgetChanged: () => completion.completionSwitch.refresh(),
  });
  const tools = registerTools({ settings, excludedIn: exclusions.inFolder, log });
  const chat = registerChat({
    context,
    model: modelService,
    settings,
    log,
    isExcluded,
    tools,
    connectionSummary: async () => {
      const { connection, chat } = settings.settings;
      return {
        provider: connection.provider,
        endpoint: connection.provider === 'azure' ? `${connection.baseUrl} (${connection.azureDeployment || 'no deployment'})` : connection.baseUrl,
        model: chat.model,
        keySource: (await keys.get(connection)).source,
      };
    },
  });

  activeChat = chat.session;
  let connectionInUse = connectionFingerprint(settings.settings);
  const connectionChanged = () => {
    modelService.invalidate();
    keyNotifier.reset();
    completion.completionSwitch.connectionChanged();
    void chat.chatView.refresh();
  };

  context.subscriptions.push(
    log,
    settings,
    keys,
    status,
    keyNotifier,
    // Toggling completions for a language must not drop a rate-limit pause or show the key error again.
    settings.onDidChange((now) => {
      const fingerprint = connectionFingerprint(now);
      if (fingerprint === connectionInUse) return;
      connectionInUse = fingerprint;
      connectionChanged();
    }),
    keys.onDidChange(connectionChanged),
    ...tools.disposables,
    ...chat.disposables,
    ...registerKeyCommands(keys, settings),
    registerTestConnection(modelService),
    ...completion.disposables,
    ...usageFeature.disposables,
    ...registerGeneralCommands(log, completion.menuEntries),
  );
  log.info(`Kestrel ${context.extension.packageJSON.version as string} activated (VS Code ${vscode.version}, ${vscode.env.appName}).`);
  void welcomeOnFirstRun(context, keys, settings);
  return context.extensionMode === vscode.ExtensionMode.Test ? { modelService, usage, budget, usageStatus: usageFeature.statusItem, status, usagePanel: usageFeature.panel, keyNotifier, completionSwitch: completion.completionSwitch, chatSession: chat.session, chatView: chat.chatView, logUri: context.logUri } : undefined;
}

/** Opens the walkthrough once, for a user who has not connected Kestrel to anything yet. */
async function welcomeOnFirstRun(context: vscode.ExtensionContext, keys: ApiKeyStore, settings: SettingsStore): Promise<void> {
  if (context.globalState.get<boolean>(WELCOMED_KEY) || context.extensionMode === vscode.ExtensionMode.Test) return;
  await context.globalState.update(WELCOMED_KEY, true);
  const { connection } = settings.settings;
  if (connection.provider === 'openai' && (await keys.get(connection)).source === 'none') {
    await vscode.commands.executeCommand('kestrel.openWalkthrough');
  }
}

/** The usage ledger of this activation, so deactivation can wait for its last appends. */
let activeLedger: UsageLedger | undefined;
/** The chat of this activation, so deactivation can wait for the answer being written to be saved. */
let activeChat: ChatSession | undefined;

export async function deactivate(): Promise<void> {
  // Everything else is disposed through context.subscriptions; usage still being written and an
  // answer still streaming must land on disk before the extension host goes.
  // The chat first: stopping its answer records that answer's usage, which the ledger then writes.
  await activeChat?.dispose();
  await activeLedger?.flushed();
}
