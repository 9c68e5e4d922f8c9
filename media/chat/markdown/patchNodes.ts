/// <reference lib="dom" />
/**
 * Brings a run of live DOM nodes in line with freshly rendered ones while touching as little as
 * possible. A streaming update usually changes only the end of the last block; keeping the
 * unchanged nodes lets the browser keep their style, text shaping, layout and paint, and keeps a
 * focused toolbar button focused. The result is equal (same HTML) to the fresh nodes.
 */

/**
 * Makes `current` (consecutive children of `parent`, possibly none, then appended at the end)
 * equal to `fresh`, which must not be in the document. Returns the nodes now in their place.
 */
export function patchNodes(parent: Node, current: readonly ChildNode[], fresh: readonly ChildNode[]): ChildNode[] {
  const result: ChildNode[] = [];
  const anchor = current.length > 0 ? current[current.length - 1].nextSibling : null;
  const shared = Math.min(current.length, fresh.length);
  for (let i = 0; i < shared; i++) result.push(patchNode(current[i], fresh[i]));
  for (let i = shared; i < current.length; i++) current[i].remove();
  for (let i = shared; i < fresh.length; i++) {
    parent.insertBefore(fresh[i], anchor);
    result.push(fresh[i]);
  }
  return result;
}

// Node type numbers rather than `instanceof`: the nodes may belong to another window (jsdom).
const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

/** `live` made equal to `fresh`: kept, patched in place, or replaced by `fresh`. */
function patchNode(live: ChildNode, fresh: ChildNode): ChildNode {
  if (live.isEqualNode(fresh)) return live;
  if (live.nodeType === TEXT_NODE && fresh.nodeType === TEXT_NODE) {
    (live as Text).data = (fresh as Text).data;
    return live;
  }
  if (live.nodeType === ELEMENT_NODE && live.nodeName === fresh.nodeName && sameAttributes(live as Element, fresh as Element)) {
    patchNodes(live, Array.from(live.childNodes), Array.from(fresh.childNodes));
    return live;
  }
  live.replaceWith(fresh);
  return fresh;
}

function sameAttributes(a: Element, b: Element): boolean {
  if (a.attributes.length !== b.attributes.length) return false;
  for (const { name, value } of Array.from(a.attributes)) if (b.getAttribute(name) !== value) return false;
  return true;
}
