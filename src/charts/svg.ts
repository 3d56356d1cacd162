// Horizontal bar charts as SVG: pure string building, so the layout is testable without rendering.
import type { BarChart } from '../app/cohort/ports.js';

export const CHART = {
  width: 760,
  padding: 16,
  labelWidth: 300,
  barHeight: 18,
  rowGap: 6,
  titleHeight: 34,
  panelGap: 18,
  font: 'DejaVu Sans, Arial, Helvetica, sans-serif',
  colours: { bar: '#4c78a8', highlight: '#d62728', text: '#222222', axis: '#bbbbbb', background: '#ffffff' },
  labelChars: 42,
} as const;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeXml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
// Characters XML 1.0 forbids even when escaped (control characters a label could carry).
const printable = (text: string): string =>
  [...text].filter((c) => { const code = c.codePointAt(0)!; return code >= 0x20 ? code !== 0xfffe && code !== 0xffff : c === '\t' || c === '\n' || c === '\r'; }).join('');
const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

const rowStep = CHART.barHeight + CHART.rowGap;

export function panelHeight(chart: BarChart): number {
  return CHART.titleHeight + Math.max(chart.bars.length, 1) * rowStep;
}

function panel(chart: BarChart, top: number): string {
  const { padding, labelWidth, barHeight, colours, font } = CHART;
  const barLeft = padding + labelWidth;
  const barSpace = CHART.width - barLeft - padding - 56; // room for the value after the bar
  const max = chart.unit === 'percent' ? 100 : Math.max(1, ...chart.bars.map((b) => b.value));
  const parts = [`<text x="${padding}" y="${top + 22}" font-family="${font}" font-size="16" font-weight="bold" fill="${colours.text}">${escapeXml(printable(chart.title))}</text>`];
  if (chart.bars.length === 0) {
    parts.push(`<text x="${padding}" y="${top + CHART.titleHeight + 13}" font-family="${font}" font-size="13" fill="${colours.text}">No data yet</text>`);
  }
  chart.bars.forEach((bar, i) => {
    const y = top + CHART.titleHeight + i * rowStep;
    const value = Math.max(0, Math.min(bar.value, max));
    const width = Math.round((value / max) * barSpace);
    const shown = chart.unit === 'percent' ? `${Math.round(bar.value)}%` : String(Math.round(bar.value));
    parts.push(
      `<text x="${barLeft - 8}" y="${y + 13}" text-anchor="end" font-family="${font}" font-size="13" fill="${colours.text}">${escapeXml(clip(printable(bar.label), CHART.labelChars))}</text>`,
      `<rect class="bar" x="${barLeft}" y="${y}" width="${width}" height="${barHeight}" fill="${bar.highlight ? colours.highlight : colours.bar}"/>`,
      `<text x="${barLeft + width + 6}" y="${y + 13}" font-family="${font}" font-size="13" fill="${colours.text}">${shown}</text>`,
    );
  });
  parts.push(`<line x1="${barLeft}" y1="${top + CHART.titleHeight - 2}" x2="${barLeft}" y2="${top + panelHeight(chart)}" stroke="${colours.axis}"/>`);
  return parts.join('');
}

export function barChartsSvg(charts: readonly BarChart[]): string {
  let top = CHART.padding;
  const panels: string[] = [];
  for (const chart of charts) {
    panels.push(panel(chart, top));
    top += panelHeight(chart) + CHART.panelGap;
  }
  const height = top - CHART.panelGap + CHART.padding;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART.width}" height="${height}" viewBox="0 0 ${CHART.width} ${height}"><rect width="100%" height="100%" fill="${CHART.colours.background}"/>${panels.join('')}</svg>`;
}
