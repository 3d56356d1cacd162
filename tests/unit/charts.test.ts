import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BarChart } from '../../src/app/cohort/ports.js';
import { svgToPng } from '../../src/charts/png.js';
import { barChartsSvg, CHART } from '../../src/charts/svg.js';

const accuracy: BarChart = {
  title: 'Quiz accuracy per lesson',
  unit: 'percent',
  bars: [
    { label: '1. Backend is relative', value: 82 },
    { label: '2. <script>alert("x")</script> & friends', value: 41, highlight: true },
  ],
};
const streaks: BarChart = { title: 'Current streaks', unit: 'count', bars: [{ label: '0 days', value: 4 }, { label: '1-2 days', value: 8 }] };

const barWidths = (svg: string) => [...svg.matchAll(/<rect class="bar" [^>]*width="(\d+)"[^>]*fill="([^"]+)"/g)].map((m) => [Number(m[1]), m[2]]);

describe('barChartsSvg', () => {
  it('draws one bar per value, scaled to 100% or to the largest count, with the flagged bar in red', () => {
    const svg = barChartsSvg([accuracy, streaks]);
    const full = CHART.width - CHART.padding - CHART.labelWidth - CHART.padding - 56;
    expect(barWidths(svg)).toEqual([
      [Math.round(0.82 * full), CHART.colours.bar],
      [Math.round(0.41 * full), CHART.colours.highlight],
      [Math.round(0.5 * full), CHART.colours.bar],
      [full, CHART.colours.bar],
    ]);
    expect(svg).toContain('>82%<');
    expect(svg).toContain('>8<');
  });

  it('escapes labels, so text can never become markup', () => {
    const svg = barChartsSvg([accuracy]);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('2. &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; friends');
  });

  it('always makes a well-formed picture, whatever the labels and values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ label: fc.string({ maxLength: 80 }), value: fc.double({ min: -10, max: 1e6, noNaN: true }), highlight: fc.boolean() }), { maxLength: 30 }),
        fc.constantFrom<BarChart['unit']>('percent', 'count'),
        (bars, unit) => {
          const svg = barChartsSvg([{ title: 'T', unit, bars }]);
          expect(barWidths(svg)).toHaveLength(bars.length);
          for (const [width] of barWidths(svg)) expect(width).toBeGreaterThanOrEqual(0);
          // Nothing but escaped text between tags: no stray < or & from a label.
          for (const text of svg.match(/>[^<]*</g) ?? []) expect(text).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#39;)/);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('svgToPng', () => {
  it('renders a PNG, twice the SVG size for sharp screens', () => {
    const png = svgToPng(barChartsSvg([accuracy, streaks]));
    expect([...png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer, png.byteOffset);
    expect(view.getUint32(16)).toBe(CHART.width * 2); // IHDR width
  });
});
