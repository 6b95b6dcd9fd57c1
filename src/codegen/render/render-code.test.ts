import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { derivePattern } from '../graphic/pattern.js';
import type { RandomBytes } from '../ids/extended-id.js';
import { encodeQr } from '../qr/qr-matrix.js';
import { byteModeCapacity, functionModuleMask } from '../qr/qr-spec.js';
import { crc32 } from 'node:zlib';
import { packRows } from '../png/png-1bit.js';
import {
  planRender,
  renderCodeBitmap,
  renderCodeImage,
  renderCodePacked,
  renderCodePng,
  renderCodeSvg,
  type CodeLayout,
  type CustomLayoutDefinition,
  type GraphicSpec,
  type RenderPlan,
} from './index.js';
import { PNG } from 'pngjs';
import { decodeQrPng as decodePng } from '../../../test/helpers/qr-decode.js';

/** Deterministic byte stream (SHA-256 in counter mode). */
function seededRandomBytes(seed: string): RandomBytes {
  let counter = 0;
  return (n) => {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const block = createHash('sha256').update(`${seed}:${counter++}`).digest();
      const take = Math.min(block.length, n - filled);
      out.set(block.subarray(0, take), filled);
      filled += take;
    }
    return out;
  };
}

const URL_PREFIX = 'http://127.0.0.1:8000/q/';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KEY = new Uint8Array(32).map((_, i) => (i * 131 + 17) & 0xff);

/** A random-looking code URL of exactly `length` characters (≥ 25). */
function randomUrl(length: number, rb: RandomBytes): string {
  let id = '';
  for (const b of rb(length - URL_PREFIX.length)) id += BASE62[b % 62];
  return URL_PREFIX + id;
}

/** Physical size giving `dpm` dots per module (incl. quiet zone) for a symbol of `modules`. */
function sizeMmFor(modules: number, dpi: number, dpm: number): number {
  return (((modules + 8) * dpm + 0.5) / dpi) * 25.4;
}

function patternFor(plan: RenderPlan, url: string): Uint8Array | null {
  return plan.graphic ? derivePattern(KEY, url, plan.graphic.cells, plan.graphic.density) : null;
}

function expectDecodes(plan: RenderPlan, url: string, label: string): void {
  const png = renderCodePng(plan, url, patternFor(plan, url));
  expect(decodePng(png), label).toBe(url);
}

/** Plans with the symbol size chosen to give `dpm` dots per module. */
function planFor(layout: CodeLayout, urlLength: number, dpi: number, dpm: number, graphic: GraphicSpec | null): RenderPlan {
  const probe = planRender({ layout, urlLength, dpi, sizeMm: 100, graphic, customLayout: null });
  return planRender({ layout, urlLength, dpi, sizeMm: sizeMmFor(probe.modules, dpi, dpm), graphic, customLayout: null });
}

describe('renderCodePng decodes to its URL', () => {
  const rb = seededRandomBytes('render-decode');
  const lengths = [25, 45, 80, 150];
  const dpis = [300, 600, 812];

  it("layout 'none' across URL lengths and resolutions", () => {
    for (const length of lengths) {
      for (const dpi of dpis) {
        const url = randomUrl(length, rb);
        const plan = planFor('none', length, dpi, 3, null);
        expect(plan.dotsPerModule).toBe(3);
        expectDecodes(plan, url, `none len=${length} dpi=${dpi}`);
      }
    }
  });

  it("layout 'sg-inside' across URL lengths, resolutions, cell sizes and densities", () => {
    let i = 0;
    for (const length of lengths) {
      for (const dpi of dpis) {
        const cellDots = (i % 3) + 1;
        const density = [0.3, 0.4, 0.5][i % 3] as number;
        i++;
        const url = randomUrl(length, rb);
        const plan = planFor('sg-inside', length, dpi, 3 + (i % 2), { cells: 64, cellDots, density });
        expect(plan.ecc).toBe('H');
        expectDecodes(plan, url, `sg-inside len=${length} dpi=${dpi} cellDots=${cellDots}`);
      }
    }
  });

  it("layout 'sg-inside' for every QR version 1–40 with the URL filling the symbol", () => {
    for (let version = 1; version <= 40; version++) {
      const length = byteModeCapacity(version, 'H');
      if (length < 25) continue; // versions 1–3 hold less than our URL prefix; covered below
      const url = randomUrl(length, rb);
      const cellDots = (version % 3) + 1;
      const plan = planFor('sg-inside', length, 600, 3, { cells: 128, cellDots, density: 0.3 + (version % 3) * 0.1 });
      expect(plan.qrVersion).toBe(version);
      expectDecodes(plan, url, `sg-inside v${version}`);
    }
  });

  it("layout 'sg-inside' for the smallest versions with short texts", () => {
    for (let version = 1; version <= 3; version++) {
      const content = 'https://s.io/Ab3dE5gH9k'.slice(0, byteModeCapacity(version, 'H'));
      const plan = planFor('sg-inside', content.length, 600, 4, { cells: 32, cellDots: 1, density: 0.5 });
      expect(plan.qrVersion).toBe(version);
      expectDecodes(plan, content, `sg-inside v${version}`);
    }
  });

  it("layout 'sg-outside' across URL lengths, resolutions, cell sizes and densities", () => {
    let i = 0;
    for (const length of lengths) {
      for (const dpi of dpis) {
        const cellDots = (i % 3) + 1;
        const density = [0.5, 0.3, 0.4][i % 3] as number;
        const cells = [32, 64, 100][(i + length) % 3] as number;
        i++;
        const url = randomUrl(length, rb);
        const plan = planFor('sg-outside', length, dpi, 3, { cells, cellDots, density });
        expect(plan.fiducials).toHaveLength(12);
        expectDecodes(plan, url, `sg-outside len=${length} dpi=${dpi} cells=${cells} cellDots=${cellDots}`);
      }
    }
  });

  it("layout 'custom' at several positions", () => {
    const layouts: CustomLayoutDefinition[] = [
      { width_mm: 40, height_mm: 20, qr: { x_mm: 1, y_mm: 1, size_mm: 18 }, graphic: { x_mm: 24, y_mm: 5 } },
      { width_mm: 30, height_mm: 45, qr: { x_mm: 4, y_mm: 20, size_mm: 24 }, graphic: { x_mm: 10, y_mm: 3 } },
      { width_mm: 50, height_mm: 50, qr: { x_mm: 25, y_mm: 25, size_mm: 24 }, graphic: { x_mm: 3, y_mm: 3 } },
    ];
    let i = 0;
    for (const customLayout of layouts) {
      for (const [length, dpi] of [
        [45, 600],
        [80, 812],
        [25, 300],
      ] as const) {
        const cellDots = (i % 3) + 1;
        i++;
        const url = randomUrl(length, rb);
        const graphic = { cells: 48, cellDots, density: 0.4 };
        const plan = planRender({ layout: 'custom', urlLength: length, dpi, sizeMm: 0, graphic, customLayout });
        expect(plan.dotsPerModule).toBeGreaterThanOrEqual(3);
        expectDecodes(plan, url, `custom #${i} len=${length} dpi=${dpi}`);
      }
    }
  });

  it('at the 10 mm sizes used by default at 600 dpi', () => {
    for (const layout of ['sg-inside', 'sg-outside'] as const) {
      for (const length of [35, 45]) {
        const url = randomUrl(length, rb);
        const plan = planRender({
          layout,
          urlLength: length,
          dpi: 600,
          sizeMm: 10,
          graphic: { cells: 32, cellDots: 2, density: 0.45 },
          customLayout: null,
        });
        expectDecodes(plan, url, `${layout} 10mm len=${length}`);
      }
    }
  });
});

describe('renderCodeBitmap geometry', () => {
  const url = 'http://127.0.0.1:8000/q/Ab3dE5gH9kLm';

  function moduleAt(plan: RenderPlan, pixels: Uint8Array, r: number, c: number): number {
    const x = plan.qrOrigin.x + c * plan.dotsPerModule + (plan.dotsPerModule >> 1);
    const y = plan.qrOrigin.y + r * plan.dotsPerModule + (plan.dotsPerModule >> 1);
    return pixels[y * plan.width + x]!;
  }

  it('draws the QR modules, blanks the hole and puts the pattern in it (sg-inside)', () => {
    const graphic = { cells: 200, cellDots: 2, density: 0.5 };
    for (const length of [45, 80, 150]) {
      const u = url + 'x'.repeat(length - url.length);
      const plan = planRender({ layout: 'sg-inside', urlLength: u.length, dpi: 600, sizeMm: 20, graphic, customLayout: null });
      const hole = plan.hole!;
      const g = plan.graphic!;
      const pattern = derivePattern(KEY, u, g.cells, g.density);
      const { pixels, width, height } = renderCodeBitmap(plan, u, pattern);
      expect(pixels.length).toBe(width * height);
      const qr = encodeQr(u, plan.qrVersion, plan.ecc);
      const functionMask = functionModuleMask(plan.qrVersion);
      for (let r = 0; r < plan.modules; r++) {
        for (let c = 0; c < plan.modules; c++) {
          const inHole = r >= hole.row && r < hole.row + hole.modules && c >= hole.column && c < hole.column + hole.modules;
          if (inHole) {
            expect(functionMask[r * plan.modules + c], `function module in hole at ${r},${c}`).toBe(0);
          } else {
            expect(moduleAt(plan, pixels, r, c)).toBe(qr.modules[r * plan.modules + c]);
          }
        }
      }
      // The pattern sits inside the hole with at least one module of white around it.
      const holeX = plan.qrOrigin.x + hole.column * plan.dotsPerModule;
      const holeY = plan.qrOrigin.y + hole.row * plan.dotsPerModule;
      const holeDots = hole.modules * plan.dotsPerModule;
      expect(g.x - holeX).toBeGreaterThanOrEqual(plan.dotsPerModule);
      expect(g.y - holeY).toBeGreaterThanOrEqual(plan.dotsPerModule);
      expect(holeX + holeDots - (g.x + g.sizeDots)).toBeGreaterThanOrEqual(plan.dotsPerModule);
      expect(holeY + holeDots - (g.y + g.sizeDots)).toBeGreaterThanOrEqual(plan.dotsPerModule);
      let blackInHole = 0;
      for (let y = holeY; y < holeY + holeDots; y++) {
        for (let x = holeX; x < holeX + holeDots; x++) {
          const inPattern = x >= g.x && x < g.x + g.sizeDots && y >= g.y && y < g.y + g.sizeDots;
          const v = pixels[y * width + x]!;
          if (inPattern) {
            const cell = Math.floor((y - g.y) / g.cellDots) * g.cells + Math.floor((x - g.x) / g.cellDots);
            expect(v).toBe(pattern[cell]);
          } else {
            expect(v).toBe(0);
          }
          blackInHole += v;
        }
      }
      expect(blackInHole).toBe(Math.round(g.density * g.cells * g.cells) * g.cellDots * g.cellDots);
    }
  });

  it('draws 12 fiducials with a hollow bottom-right marker around the pattern (sg-outside)', () => {
    const graphic = { cells: 40, cellDots: 3, density: 0.5 };
    const plan = planRender({ layout: 'sg-outside', urlLength: url.length, dpi: 600, sizeMm: 10, graphic, customLayout: null });
    const g = plan.graphic!;
    const pattern = derivePattern(KEY, url, g.cells, g.density);
    const { pixels, width } = renderCodeBitmap(plan, url, pattern);
    expect(plan.fiducials).toHaveLength(12);
    const hollow = plan.fiducials.filter((m) => m.whiteCentre !== null);
    expect(hollow).toHaveLength(1);
    const br = hollow[0]!;
    expect(br.x).toBe(Math.max(...plan.fiducials.map((m) => m.x)));
    expect(br.y).toBe(Math.max(...plan.fiducials.map((m) => m.y)));
    for (const m of plan.fiducials) {
      // Outside the pattern, with a white gap of at least one marker size.
      const clear =
        m.x + m.size + m.size <= g.x || m.x >= g.x + g.sizeDots + m.size ||
        m.y + m.size + m.size <= g.y || m.y >= g.y + g.sizeDots + m.size;
      expect(clear).toBe(true);
      expect(pixels[m.y * width + m.x]).toBe(1);
      const centre = pixels[(m.y + (m.size >> 1)) * width + m.x + (m.size >> 1)];
      expect(centre).toBe(m.whiteCentre ? 0 : 1);
    }
    // 4 per side, evenly spaced.
    const xs = [...new Set(plan.fiducials.map((m) => m.x))].sort((a, b) => a - b);
    expect(xs).toHaveLength(4);
    const steps = xs.slice(1).map((x, i) => x - xs[i]!);
    expect(Math.max(...steps) - Math.min(...steps)).toBeLessThanOrEqual(1);
    // Pattern to the right of the QR and its quiet zone.
    const qrRight = plan.qrOrigin.x + plan.modules * plan.dotsPerModule;
    expect(g.x).toBeGreaterThanOrEqual(qrRight + plan.quietZoneModules * plan.dotsPerModule);
    expect(plan.width).toBeGreaterThan(g.x + g.sizeDots);
  });

  it('renders the same bytes for the same inputs and checks the pattern size', () => {
    const graphic = { cells: 32, cellDots: 1, density: 0.5 };
    const plan = planRender({ layout: 'sg-outside', urlLength: url.length, dpi: 600, sizeMm: 10, graphic, customLayout: null });
    const pattern = derivePattern(KEY, url, 32, 0.5);
    expect(renderCodePng(plan, url, pattern).equals(renderCodePng(plan, url, pattern))).toBe(true);
    expect(() => renderCodePng(plan, url, null)).toThrow(RangeError);
    expect(() => renderCodePng(plan, url, new Uint8Array(31 * 31))).toThrow(RangeError);
    const none = planRender({ layout: 'none', urlLength: url.length, dpi: 600, sizeMm: 10, graphic: null, customLayout: null });
    expect(() => renderCodePng(none, url, pattern)).toThrow(RangeError);
    expect(() => renderCodePng(none, url + 'x'.repeat(200), null)).toThrow();
  });

  it('writes pHYs with the plan resolution', () => {
    const plan = planRender({ layout: 'none', urlLength: url.length, dpi: 812, sizeMm: 10, graphic: null, customLayout: null });
    const png = renderCodePng(plan, url, null);
    const at = png.indexOf('pHYs', 0, 'latin1');
    expect(png.readUInt32BE(at + 4)).toBe(Math.round(812 / 0.0254));
    const img = PNG.sync.read(png);
    expect([img.width, img.height]).toEqual([plan.width, plan.height]);
  });
});

/** Decodes our 1-bit PNG with pngjs into 0/1 pixels (1 = black). */
function decodeBlack(png: Buffer): { width: number; height: number; pixels: Uint8Array } {
  const img = PNG.sync.read(png);
  const pixels = new Uint8Array(img.width * img.height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = img.data[4 * i]! < 128 ? 1 : 0;
  return { width: img.width, height: img.height, pixels };
}

/** Plans covering every layout, several versions, resolutions, module and cell sizes (incl. the wide-cell paths). */
function samplePlans(): Array<{ label: string; plan: RenderPlan; url: string }> {
  const rb = seededRandomBytes('render-oracle');
  const out: Array<{ label: string; plan: RenderPlan; url: string }> = [];
  const add = (label: string, plan: RenderPlan, length: number): void => {
    out.push({ label, plan, url: randomUrl(length, rb) });
  };
  for (const [length, dpi, dpm] of [
    [25, 300, 1],
    [37, 600, 2],
    [45, 600, 6],
    [80, 812, 7],
    [150, 1200, 12],
    [300, 600, 3],
    [40, 600, 25],
  ] as const) {
    add(`none len=${length} dpi=${dpi} dpm=${dpm}`, planFor('none', length, dpi, dpm, null), length);
  }
  for (const [length, dpi, dpm, cells, cellDots] of [
    [37, 600, 5, 32, 2],
    [45, 812, 4, 64, 1],
    [80, 600, 6, 48, 3],
    [150, 1200, 9, 100, 7],
    [60, 600, 30, 40, 24],
    [400, 600, 3, 512, 1],
  ] as const) {
    add(
      `sg-inside len=${length} dpi=${dpi} dpm=${dpm} cells=${cells}×${cellDots}`,
      planFor('sg-inside', length, dpi, dpm, { cells, cellDots, density: 0.45 }),
      length,
    );
  }
  for (const [length, dpi, sizeMm, cells, cellDots] of [
    [37, 600, 10, 32, 2],
    [45, 300, 12, 32, 1],
    [80, 812, 15, 64, 3],
    [150, 600, 20, 100, 5],
    [37, 1200, 10, 20, 30],
  ] as const) {
    add(
      `sg-outside len=${length} dpi=${dpi} ${sizeMm}mm cells=${cells}×${cellDots}`,
      planRender({ layout: 'sg-outside', urlLength: length, dpi, sizeMm, graphic: { cells, cellDots, density: 0.5 }, customLayout: null }),
      length,
    );
  }
  const layouts: CustomLayoutDefinition[] = [
    { width_mm: 40, height_mm: 20, qr: { x_mm: 1, y_mm: 1, size_mm: 18 }, graphic: { x_mm: 24, y_mm: 5 } },
    { width_mm: 30.3, height_mm: 45.1, qr: { x_mm: 4.2, y_mm: 20.7, size_mm: 24 }, graphic: { x_mm: 10.1, y_mm: 3.3 } },
  ];
  layouts.forEach((customLayout, i) => {
    for (const [length, dpi, cellDots] of [
      [45, 600, 2],
      [80, 812, 3],
    ] as const) {
      add(
        `custom #${i} len=${length} dpi=${dpi}`,
        planRender({ layout: 'custom', urlLength: length, dpi, sizeMm: 0, graphic: { cells: 48, cellDots, density: 0.4 }, customLayout }),
        length,
      );
    }
  });
  return out;
}

describe('packed renderer and PNG against the byte-per-pixel oracle', () => {
  const samples = samplePlans();

  it('covers every layout', () => {
    expect(new Set(samples.map((s) => s.plan.layout))).toEqual(new Set(['none', 'sg-inside', 'sg-outside', 'custom']));
  });

  it('renderCodePacked equals renderCodeBitmap, packed', () => {
    for (const { label, plan, url } of samples) {
      const pattern = patternFor(plan, url);
      const oracle = renderCodeBitmap(plan, url, pattern);
      const packed = renderCodePacked(plan, url, pattern);
      expect([packed.width, packed.height, packed.rowBytes], label).toEqual([plan.width, plan.height, (plan.width + 7) >> 3]);
      expect(Buffer.from(packed.rows).equals(Buffer.from(packRows(oracle.width, oracle.height, oracle.pixels))), label).toBe(true);
    }
  });

  it('renderCodePng decodes (pngjs) to the oracle bitmap', () => {
    for (const { label, plan, url } of samples) {
      const pattern = patternFor(plan, url);
      const oracle = renderCodeBitmap(plan, url, pattern);
      const decoded = decodeBlack(renderCodePng(plan, url, pattern));
      expect([decoded.width, decoded.height], label).toEqual([plan.width, plan.height]);
      expect(Buffer.from(decoded.pixels).equals(Buffer.from(oracle.pixels)), label).toBe(true);
    }
  });

  it('keeps working when plans alternate (per-plan caches)', () => {
    const picks = [samples[0]!, samples[9]!, samples[0]!, samples[15]!, samples[9]!];
    for (const { label, plan, url } of picks) {
      const pattern = patternFor(plan, url);
      expect(Buffer.from(decodeBlack(renderCodePng(plan, url, pattern)).pixels).equals(Buffer.from(renderCodeBitmap(plan, url, pattern).pixels)), label).toBe(true);
    }
  });

  it('is pixel-exact for cells that are not 0/1', () => {
    const { plan, url } = samples.find((s) => s.plan.layout === 'sg-outside')!;
    const pattern = patternFor(plan, url)!.map((v, i) => (v ? 1 + (i % 255) : 0));
    const oracle = renderCodeBitmap(plan, url, pattern);
    expect(Buffer.from(renderCodePacked(plan, url, pattern).rows).equals(Buffer.from(packRows(plan.width, plan.height, oracle.pixels)))).toBe(true);
  });
});

describe('renderCodeImage', () => {
  const url = 'http://127.0.0.1:8000/q/Ab3dE5gH9kLm0123';
  const plan = planRender({
    layout: 'sg-outside',
    urlLength: url.length,
    dpi: 600,
    sizeMm: 10,
    graphic: { cells: 32, cellDots: 2, density: 0.5 },
    customLayout: null,
  });
  const pattern = patternFor(plan, url);

  it('returns the PNG with its CRC-32', () => {
    const image = renderCodeImage(plan, url, pattern, 'png');
    expect(image.data.equals(renderCodePng(plan, url, pattern))).toBe(true);
    expect(image.crc32).toBe(crc32(image.data));
    expect(decodePng(image.data)).toBe(url);
  });

  it('returns the SVG with its CRC-32', () => {
    const image = renderCodeImage(plan, url, pattern, 'svg');
    expect(image.data.toString('utf8')).toBe(renderCodeSvg(plan, url, pattern));
    expect(image.crc32).toBe(crc32(image.data));
  });

  it('rejects unknown formats and bad patterns', () => {
    expect(() => renderCodeImage(plan, url, pattern, 'gif' as never)).toThrow(RangeError);
    expect(() => renderCodeImage(plan, url, null, 'png')).toThrow(RangeError);
    expect(() => renderCodeImage(plan, url, null, 'svg')).toThrow(RangeError);
  });
});
