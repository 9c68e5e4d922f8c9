/**
 * Entry point of the usage view's webview bundle: the styles, and the app mounted into `#app`
 * with VS Code's webview API. usageApp.ts holds the app; the unit tests mount it into jsdom.
 */
import './usage.css';
import { mountUsageApp, type UsageApi } from './usageApp';

declare function acquireVsCodeApi(): UsageApi;

const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('main'));
mountUsageApp(root, acquireVsCodeApi(), window);
