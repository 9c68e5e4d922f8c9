/// <reference lib="dom" />
/**
 * The 30-day chart: one stacked bar per day, a segment per feature, drawn as SVG with the theme's
 * chart colours (classes, no inline styles). Each bar has a `<title>` for pointer users; the chart
 * itself is one labelled image for screen readers, which get the daily table next to it instead.
 */
import { USAGE_FEATURES, featureLabel, type DayUsage } from '../../src/shared/usageProtocol';
import { formatUsd } from '../../src/shared/format';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 720;
const HEIGHT = 220;
const LEFT = 56;
const BOTTOM = 24;
const TOP = 8;

/** A round axis maximum above `max`: 1, 2 or 5 times a power of ten. */
export function niceCeiling(max: number): number {
  if (!(max > 0)) return 0.01;
  const power = 10 ** Math.floor(Math.log10(max));
  return ([1, 2, 5, 10].map((m) => m * power).find((step) => step >= max) ?? 10 * power);
}

export function renderChart(document: Document, days: readonly DayUsage[]): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  svg.setAttribute('class', 'usage-chart');
  svg.setAttribute('role', 'img');
  const total = days.reduce((sum, d) => sum + d.total.usd, 0);
  svg.setAttribute('aria-label', `Cost per day for the last ${days.length} days, ${formatUsd(total)} in all; the table below lists each day.`);
  const node = (tag: string, attributes: Record<string, string | number>, parent: Element = svg) => {
    const element = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
    parent.append(element);
    return element;
  };

  const max = niceCeiling(Math.max(...days.map((d) => d.total.usd)));
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const y = (usd: number) => TOP + plotHeight - (usd / max) * plotHeight;
  // Round gridlines: 2 x 10^n in four steps of 0.5, 1 and 5 x 10^n in five steps of 0.2 and 1.
  const intervals = Math.round(max / 10 ** Math.floor(Math.log10(max))) === 2 ? 4 : 5;
  for (let i = 0; i <= intervals; i++) {
    const usd = (max * i) / intervals;
    node('line', { x1: LEFT, x2: WIDTH, y1: y(usd), y2: y(usd), class: i === 0 ? 'axis' : 'grid' });
    node('text', { x: LEFT - 6, y: y(usd) + 4, class: 'tick tick-y' }).textContent = formatUsd(usd);
  }

  const slot = (WIDTH - LEFT) / Math.max(1, days.length);
  const barWidth = Math.max(2, slot * 0.7);
  days.forEach((day, index) => {
    const x = LEFT + index * slot + (slot - barWidth) / 2;
    const group = node('g', { class: 'bar' });
    node('title', {}, group).textContent = barTitle(day);
    // An invisible full-height target, so a tiny bar still shows its title on hover.
    node('rect', { x: LEFT + index * slot, y: TOP, width: slot, height: plotHeight, class: 'hit' }, group);
    let top = y(0);
    for (const feature of USAGE_FEATURES) {
      const usd = day.byFeature[feature]?.usd ?? 0;
      if (usd <= 0) continue;
      const height = Math.max(1, (usd / max) * plotHeight);
      top -= height;
      node('rect', { x, y: top, width: barWidth, height, class: `segment feature-${feature}` }, group);
    }
    if (index % 5 === (days.length - 1) % 5) {
      node('text', { x: x + barWidth / 2, y: HEIGHT - 6, class: 'tick tick-x' }).textContent = shortDay(day.day);
    }
  });
  return svg;
}

function barTitle(day: DayUsage): string {
  const parts = USAGE_FEATURES.filter((f) => day.byFeature[f]).map((f) => `${featureLabel(f)} ${formatUsd(day.byFeature[f]!.usd)}`);
  return `${longDay(day.day)}: ${formatUsd(day.total.usd)}, ${day.total.requests} request${day.total.requests === 1 ? '' : 's'}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/** `Nov 27` for `2026-11-27`. */
export function shortDay(day: string): string {
  return dateOf(day).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

/** `Fri, Nov 27` for `2026-11-27`. */
export function longDay(day: string): string {
  return dateOf(day).toLocaleDateString(undefined, { weekday: 'short', month: 'short', day: 'numeric' });
}

function dateOf(day: string): Date {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year, month - 1, date, 12);
}
