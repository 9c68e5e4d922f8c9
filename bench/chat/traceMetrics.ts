/**
 * Renderer main-thread CPU from a Chromium trace, for the chat benchmark. The page marks the
 * stream with `console.timeStamp` (a `TimeStamp` event on the renderer main thread, so it also
 * names the thread to measure); every top-level task on that thread inside the marks counts:
 * token delivery, the renderer's frame updates, style, layout, paint and garbage collection.
 * Trace events are used instead of the Long Tasks API because that only reports tasks over 50 ms.
 */

export interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread (CPU) time; `dur` is wall time, which also counts time the thread was descheduled. */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { data?: { message?: string } };
}

export interface MainThreadFigures {
  /** Time between the two marks. */
  windowMs: number;
  tasks: number;
  /** Sum of the tasks' wall durations (the figure the targets use). */
  cpuMsTotal: number;
  /** Sum of the tasks' thread times: lower when the machine is busy with other work. */
  threadMsTotal: number;
  longestTaskMs: number;
  /** The longest task in which V8 did no major (mark-compact) garbage collection work. */
  longestTaskWithoutMajorGcMs: number;
  /** Tasks over 16 ms (one frame at 60 Hz). */
  tasksOver16Ms: number;
  /** The three longest tasks: when (ms into the stream) and what they spent their time on. */
  longestTasks: { ms: number; atMs: number; parts: string }[];
  /** Where all the tasks' time went: "FireAnimationFrame 812, Layout 403, …" (ms, outermost events). */
  breakdown: string;
}

/** Trace events worth naming when explaining what a task did. */
const PARTS = new Set(['FireAnimationFrame', 'FireIdleCallback', 'HandlePostMessage', 'FunctionCall', 'v8.compile', 'TimerFire', 'EventDispatch', 'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit', 'MinorGC', 'MajorGC', 'ParseHTML']);

/** Names Chromium gives a top-level task; older builds emit `RunTask`, newer both (nested). */
const TASK_NAMES = new Set(['ThreadControllerImpl::RunTask', 'RunTask']);

export function mainThreadFigures(events: readonly TraceEvent[], startMark: string, endMark: string): MainThreadFigures {
  const mark = (message: string): TraceEvent => {
    const found = events.find((e) => e.name === 'TimeStamp' && e.args?.data?.message === message);
    if (!found) throw new Error(`trace has no TimeStamp "${message}" (is devtools.timeline traced?)`);
    return found;
  };
  const start = mark(startMark);
  const end = mark(endMark);
  if (start.pid !== end.pid || start.tid !== end.tid) throw new Error('the two marks came from different threads');
  const candidates = events
    .filter((e) => e.ph === 'X' && TASK_NAMES.has(e.name) && e.pid === start.pid && e.tid === start.tid && e.dur !== undefined)
    .filter((e) => e.ts < end.ts && e.ts + (e.dur ?? 0) > start.ts)
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  // Keep only outermost tasks: a nested RunTask is the same work counted twice.
  const tasks: { event: TraceEvent; ms: number }[] = [];
  let coveredUntil = -Infinity;
  for (const task of candidates) {
    const taskEnd = task.ts + (task.dur ?? 0);
    if (task.ts < coveredUntil) continue;
    coveredUntil = taskEnd;
    // The tasks holding the marks straddle the window; count only their part inside it.
    tasks.push({ event: task, ms: (Math.min(taskEnd, end.ts) - Math.max(task.ts, start.ts)) / 1000 });
  }
  const durations = tasks.map((t) => t.ms);
  const majorGc = events.filter((e) => MAJOR_GC.has(e.name) && e.pid === start.pid && e.tid === start.tid);
  if (durations.length === 0) throw new Error(`no ${[...TASK_NAMES].join('/')} events on the renderer main thread`);
  return {
    windowMs: (end.ts - start.ts) / 1000,
    tasks: durations.length,
    cpuMsTotal: durations.reduce((sum, ms) => sum + ms, 0),
    threadMsTotal: tasks.reduce((sum, { event }) => sum + (event.tdur ?? event.dur ?? 0), 0) / 1000,
    longestTaskMs: Math.max(...durations),
    longestTaskWithoutMajorGcMs: Math.max(0, ...tasks.filter(({ event }) => !majorGc.some((gc) => within(gc, event))).map((t) => t.ms)),
    tasksOver16Ms: durations.filter((ms) => ms > 16).length,
    longestTasks: [...tasks]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 3)
      .map(({ event, ms }) => ({ ms, atMs: (event.ts - start.ts) / 1000, parts: partsOf(event, events) })),
    breakdown: breakdownOf(start, end, events),
  };
}

/** Major GC work on the main thread: its final pause, or a step of incremental marking. */
const MAJOR_GC = new Set(['MajorGC', 'V8.GC_MC_INCREMENTAL', 'V8.GC_MARK_COMPACTOR']);

function within(inner: TraceEvent, outer: TraceEvent): boolean {
  return inner.ts >= outer.ts && inner.ts <= outer.ts + (outer.dur ?? 0);
}

/** Total time per named event on the marks' thread between them, outermost of each name only. */
function breakdownOf(start: TraceEvent, end: TraceEvent, events: readonly TraceEvent[]): string {
  const totals = new Map<string, number>();
  const coveredUntil = new Map<string, number>();
  const inside = events
    .filter((e) => e.ph === 'X' && PARTS.has(e.name) && e.pid === start.pid && e.tid === start.tid && e.ts >= start.ts && e.ts <= end.ts)
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  for (const e of inside) {
    if (e.ts < (coveredUntil.get(e.name) ?? -Infinity)) continue;
    coveredUntil.set(e.name, e.ts + (e.dur ?? 0));
    totals.set(e.name, (totals.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
  }
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([name, ms]) => `${name} ${ms.toFixed(0)}`)
    .join(', ');
}

/** "FireAnimationFrame 9.1, Layout 1.2, …": the named events inside `task`, longest first. */
function partsOf(task: TraceEvent, events: readonly TraceEvent[]): string {
  const end = (e: TraceEvent): number => e.ts + (e.dur ?? 0);
  const inside = events
    .filter((e) => e.ph === 'X' && PARTS.has(e.name) && e.pid === task.pid && e.tid === task.tid && e.ts >= task.ts && end(e) <= end(task))
    .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0));
  // Paint nests in Paint (document, then root element): name the outer one only.
  const named = inside.filter((e) => !inside.some((o) => o !== e && o.name === e.name && o.ts <= e.ts && end(e) <= end(o) && (o.dur ?? 0) > (e.dur ?? 0)));
  return named
    .slice(0, 6)
    .map((e) => `${e.name} ${((e.dur ?? 0) / 1000).toFixed(1)}`)
    .join(', ');
}
