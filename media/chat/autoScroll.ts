/// <reference lib="dom" />
/**
 * Keeps the end of a streaming answer in view, but only while the user is at the bottom: once
 * they scroll up to read, growth below never moves them, and a "jump to latest" button offers the
 * way back. Callers that change the content say so, and it is followed in a task of its own right
 * after theirs, before the frame that draws the change, so that frame draws the scroll too.
 * Reading the layout forces one, which made the changing task (a streaming update, the final
 * render) the longest of an answer; in a frame callback the scroll's event needed a frame more;
 * from a ResizeObserver, after the frame's layout, the scroll is drawn only in the next frame.
 * A ResizeObserver catches the rest, such as the view being resized.
 */
import type { Dom } from './dom';

export interface AutoScroll {
  /** The jump-to-latest button, to place over the bottom of the scroller. */
  readonly jumpButton: HTMLButtonElement;
  /** Content changed: follow it (if pinned) in a task right after this one. */
  contentChanged(): void;
  /** Scrolls to the bottom and follows again (the user sent something, or asked to). */
  jumpToLatest(): void;
  dispose(): void;
}

/** How close to the bottom still counts as "at the bottom" (fractional pixels, zoom). */
const SLACK_PX = 24;

/** `nextTask` runs a callback in a task of its own right after the current one. */
export function createAutoScroll(dom: Dom, scroller: HTMLElement, content: HTMLElement, nextTask: (callback: () => void) => void): AutoScroll {
  const win = scroller.ownerDocument.defaultView;
  let pinned = true;
  const distanceFromBottom = (): number => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight;
  const toBottom = (): void => {
    scroller.scrollTop = scroller.scrollHeight;
  };
  const showJump = (): void => {
    const hidden = pinned || distanceFromBottom() <= SLACK_PX;
    // Written only on a change: even an unchanged write costs a style pass in the next frame.
    if (jumpButton.hidden !== hidden) jumpButton.hidden = hidden;
  };
  const jumpToLatest = (): void => {
    pinned = true;
    toBottom();
    showJump();
  };
  const jumpButton = dom.iconButton('arrow-down', 'Jump to latest', () => {
    jumpToLatest();
  });
  jumpButton.classList.add('jump-to-latest');
  jumpButton.hidden = true;

  const onScroll = (): void => {
    pinned = distanceFromBottom() <= SLACK_PX;
    showJump();
  };
  scroller.addEventListener('scroll', onScroll, { passive: true });

  const follow = (): void => {
    if (pinned) toBottom();
    showJump();
  };
  let followPending = false;
  const Observer = win?.ResizeObserver;
  const observer = Observer ? new Observer(follow) : undefined;
  observer?.observe(content);
  observer?.observe(scroller);

  return {
    jumpButton,
    contentChanged() {
      if (followPending) return;
      followPending = true;
      nextTask(() => {
        followPending = false;
        follow();
      });
    },
    jumpToLatest,
    dispose() {
      observer?.disconnect();
      scroller.removeEventListener('scroll', onScroll);
    },
  };
}
