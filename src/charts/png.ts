// SVG -> PNG with resvg (Rust, prebuilt per platform inside the npm package; no download at install).
// Text needs a font on the machine: DejaVu Sans is asked for first (Debian: fonts-dejavu-core).
import { Resvg } from '@resvg/resvg-js';
import type { BarChart, ChartRenderer } from '../app/cohort/ports.js';
import { barChartsSvg } from './svg.js';

export function svgToPng(svg: string): Uint8Array {
  const rendered = new Resvg(svg, {
    background: '#ffffff',
    fitTo: { mode: 'zoom', value: 2 }, // crisp on high-density screens
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  }).render();
  return new Uint8Array(rendered.asPng());
}

/** The ChartRenderer port for `/cohort stats`. */
export function createChartRenderer(): ChartRenderer {
  return {
    async renderPng(charts: BarChart[]) {
      return svgToPng(barChartsSvg(charts));
    },
  };
}
