import { Resvg } from '@resvg/resvg-js';
import jsQRModule from 'jsqr';
import { describe, expect, it } from 'vitest';
import { derivePattern } from '../graphic/pattern.js';
import { encodeQr } from '../qr/qr-matrix.js';
import {
  planRender,
  renderCodeBitmap,
  renderCodeSvg,
  type CodeLayout,
  type CustomLayoutDefinition,
  type GraphicSpec,
  type RenderPlan,
} from '../render/index.js';
import { formatMm, writeCodeSvg } from './svg-writer.js';
import { xorshift32 } from '../seeded-random.js';

type JsQr = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQRValue = jsQRModule as unknown as JsQr & { default?: JsQr };
const jsQR: JsQr = typeof jsQRValue.default === 'function' ? jsQRValue.default : jsQRValue;

const KEY = new Uint8Array(32).map((_, i) => (i * 131 + 17) & 0xff);
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function urlOf(length: number, seed: number): string {
  let s = 'https://s.example.com/q/';
  const next = xorshift32(seed * 2654435761);
  while (s.length < length) s += BASE62[next() % 62];
  return s;
}

function patternFor(plan: RenderPlan, url: string): Uint8Array | null {
  return plan.graphic ? derivePattern(KEY, url, plan.graphic.cells, plan.graphic.density) : null;
}

/** Plan with about `dpm` dots per module. */
function planFor(layout: CodeLayout, urlLength: number, dpi: number, dpm: number, graphic: GraphicSpec | null): RenderPlan {
  const probe = planRender({ layout, urlLength, dpi, sizeMm: 100, graphic, customLayout: null });
  const sizeMm = (((probe.modules + 8) * dpm + 0.5) / dpi) * 25.4;
  return planRender({ layout, urlLength, dpi, sizeMm, graphic, customLayout: null });
}

/** Rasterises at one pixel per dot (viewBox 1:1): RGBA pixels. */
function rasterise(svg: string, plan: RenderPlan): { width: number; height: number; rgba: Buffer } {
  const image = new Resvg(svg, { fitTo: { mode: 'width', value: plan.width } }).render();
  return { width: image.width, height: image.height, rgba: image.pixels };
}

const CUSTOM: CustomLayoutDefinition = {
  width_mm: 30.3,
  height_mm: 45.1,
  qr: { x_mm: 4.2, y_mm: 20.7, size_mm: 24 },
  graphic: { x_mm: 10.1, y_mm: 3.3 },
};

const samples: Array<{ label: string; plan: RenderPlan; url: string }> = [
  { label: 'none 300dpi dpm1', plan: planFor('none', 25, 300, 1, null), url: urlOf(25, 1) },
  { label: 'none 600dpi dpm6', plan: planFor('none', 45, 600, 6, null), url: urlOf(45, 2) },
  { label: 'none 1200dpi dpm12', plan: planFor('none', 150, 1200, 12, null), url: urlOf(150, 3) },
  {
    label: 'sg-inside 600dpi dpm5',
    plan: planFor('sg-inside', 37, 600, 5, { cells: 32, cellDots: 2, density: 0.5 }),
    url: urlOf(37, 4),
  },
  {
    label: 'sg-inside 812dpi dpm7',
    plan: planFor('sg-inside', 80, 812, 7, { cells: 64, cellDots: 3, density: 0.4 }),
    url: urlOf(80, 5),
  },
  {
    label: 'sg-outside 600dpi 10mm',
    plan: planRender({ layout: 'sg-outside', urlLength: 37, dpi: 600, sizeMm: 10, graphic: { cells: 32, cellDots: 2, density: 0.5 }, customLayout: null }),
    url: urlOf(37, 6),
  },
  {
    label: 'sg-outside 300dpi 12mm',
    plan: planRender({ layout: 'sg-outside', urlLength: 45, dpi: 300, sizeMm: 12, graphic: { cells: 40, cellDots: 1, density: 0.5 }, customLayout: null }),
    url: urlOf(45, 7),
  },
  {
    label: 'custom 600dpi',
    plan: planRender({ layout: 'custom', urlLength: 45, dpi: 600, sizeMm: 0, graphic: { cells: 48, cellDots: 2, density: 0.4 }, customLayout: CUSTOM }),
    url: urlOf(45, 8),
  },
];

describe('writeCodeSvg', () => {
  it('rasterises (resvg, one pixel per dot) to exactly the bitmap of the PNG for every layout', () => {
    expect(new Set(samples.map((s) => s.plan.layout))).toEqual(new Set(['none', 'sg-inside', 'sg-outside', 'custom']));
    for (const { label, plan, url } of samples) {
      const pattern = patternFor(plan, url);
      const oracle = renderCodeBitmap(plan, url, pattern);
      const { width, height, rgba } = rasterise(renderCodeSvg(plan, url, pattern), plan);
      expect([width, height], label).toEqual([plan.width, plan.height]);
      let mismatches = 0;
      for (let i = 0; i < oracle.pixels.length; i++) {
        if ((rgba[4 * i]! < 128 ? 1 : 0) !== oracle.pixels[i]) mismatches++;
      }
      expect(mismatches, label).toBe(0);
    }
  });

  it('decodes with jsQR after rasterising', () => {
    for (const { label, plan, url } of samples.filter((s) => s.plan.dotsPerModule >= 3)) {
      const { width, height, rgba } = rasterise(renderCodeSvg(plan, url, patternFor(plan, url)), plan);
      const rgbaView = new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, rgba.length);
      expect(jsQR(rgbaView, width, height)?.data, label).toBe(url);
    }
  });

  it('declares the physical size, the dot viewBox and crisp edges; integer coordinates only', () => {
    const { plan, url } = samples.find((s) => s.plan.layout === 'sg-outside')!;
    const svg = renderCodeSvg(plan, url, patternFor(plan, url));
    expect(svg.startsWith(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${formatMm(plan.width, plan.dpi)}mm" ` +
        `height="${formatMm(plan.height, plan.dpi)}mm" viewBox="0 0 ${plan.width} ${plan.height}" shape-rendering="crispEdges">`,
    )).toBe(true);
    expect(svg).toContain(`<rect width="${plan.width}" height="${plan.height}" fill="#fff"/>`);
    const paths = [...svg.matchAll(/<path fill="(#000|#fff)" d="([^"]*)"\/>/g)];
    expect(paths.map((m) => m[1])).toEqual(['#000', '#000', '#000', '#fff']); // QR, pattern, markers, centre
    for (const m of paths) expect(m[2]).toMatch(/^(M\d+ \d+h\d+v\d+h-\d+z)+$/);
    expect(svg.endsWith('</svg>\n')).toBe(true);
    // Deterministic.
    expect(renderCodeSvg(plan, url, patternFor(plan, url))).toBe(svg);
  });

  it('merges horizontal runs of dark modules into one rectangle', () => {
    const plan = planRender({ layout: 'none', urlLength: 20, dpi: 600, sizeMm: 10, graphic: null, customLayout: null });
    const url = urlOf(20, 9);
    const qr = encodeQr(url, plan.qrVersion, plan.ecc);
    const svg = writeCodeSvg(plan, qr, null);
    let runs = 0;
    for (let r = 0; r < qr.size; r++) {
      for (let c = 0; c < qr.size; c++) {
        if (qr.modules[r * qr.size + c] && (c === 0 || !qr.modules[r * qr.size + c - 1])) runs++;
      }
    }
    expect(svg.match(/M/g)?.length).toBe(runs);
    // Top-left finder pattern: first row is one run of 7 modules.
    const d = plan.dotsPerModule;
    expect(svg).toContain(`M${plan.qrOrigin.x} ${plan.qrOrigin.y}h${7 * d}v${d}h-${7 * d}z`);
  });

  it('formats millimetres with up to 4 decimals', () => {
    expect(formatMm(600, 600)).toBe('25.4');
    expect(formatMm(236, 600)).toBe('9.9907');
    expect(formatMm(1200, 300)).toBe('101.6');
    expect(formatMm(100, 254)).toBe('10');
    expect(formatMm(1, 10_000)).toBe('0.0025');
  });

  it('checks its inputs', () => {
    const { plan, url } = samples.find((s) => s.plan.layout === 'sg-outside')!;
    const qr = encodeQr(url, plan.qrVersion, plan.ecc);
    expect(() => writeCodeSvg(plan, qr, null)).toThrow(RangeError);
    expect(() => writeCodeSvg(plan, { size: 5, modules: new Uint8Array(25) }, patternFor(plan, url))).toThrow();
  });
});
