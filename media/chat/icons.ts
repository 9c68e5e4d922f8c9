/**
 * The codicons the chat shows. The webview ships only these glyph rules (codicons.css), not the
 * package's 34 KB stylesheet of every icon: the webview bundle has a 300 KB budget
 * (scripts/benchStartup.js). `IconName` makes an icon without a rule a type error, and a unit
 * test checks codicons.css against this list and the package's code points.
 */
export const ICON_NAMES = [
  'account',
  'add',
  'arrow-down',
  'book',
  'check',
  'close',
  'comment-discussion',
  'copy',
  'debug-continue',
  'debug-stop',
  'diff',
  'edit',
  'error',
  'file',
  'file-add',
  'file-media',
  'file-pdf',
  'fold-up',
  'history',
  'info',
  'loading',
  'plug',
  'refresh',
  'selection',
  'send',
  'sparkle',
  'tools',
  'trash',
  'warning',
] as const;

export type IconName = (typeof ICON_NAMES)[number];
