import { describe, expect, it } from 'vitest';
import { functionModuleMask } from '../qr/qr-spec.js';
import {
  CustomLayoutError,
  parseCustomLayoutDefinition,
  planRender,
  type CustomLayoutDefinition,
  type RenderInput,
} from './index.js';

const GRAPHIC = { cells: 32, cellDots: 2, density: 0.45 };
const CUSTOM: CustomLayoutDefinition = {
  width_mm: 40,
  height_mm: 20,
  qr: { x_mm: 1, y_mm: 1, size_mm: 18 },
  graphic: { x_mm: 24, y_mm: 5 },
};

function input(overrides: Partial<RenderInput>): RenderInput {
  return { layout: 'none', urlLength: 45, dpi: 600, sizeMm: 10, graphic: null, customLayout: null, ...overrides };
}

describe('planRender', () => {
  it("plans a plain QR for layout 'none' with ECC M", () => {
    const plan = planRender(input({}));
    expect(plan.ecc).toBe('M');
    expect(plan.qrVersion).toBe(4); // 45 bytes at M (version 3 holds 42)
    expect(plan.modules).toBe(33);
    expect(plan.quietZoneModules).toBe(4);
    expect(plan.dotsPerModule).toBe(Math.floor(((10 / 25.4) * 600) / 41));
    expect(plan.width).toBe(41 * plan.dotsPerModule);
    expect(plan.height).toBe(plan.width);
    expect(plan.qrOrigin).toEqual({ x: 4 * plan.dotsPerModule, y: 4 * plan.dotsPerModule });
    expect(plan.graphic).toBeNull();
    expect(plan.hole).toBeNull();
    expect(plan.fiducials).toEqual([]);
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });

  it('uses at least one dot per module', () => {
    const plan = planRender(input({ sizeMm: 0.1, dpi: 50 }));
    expect(plan.dotsPerModule).toBe(1);
  });

  it('chooses ECC by layout', () => {
    expect(planRender(input({ layout: 'sg-inside', graphic: GRAPHIC, sizeMm: 12 })).ecc).toBe('H');
    expect(planRender(input({ layout: 'sg-outside', graphic: GRAPHIC })).ecc).toBe('M');
    expect(planRender(input({ layout: 'custom', graphic: GRAPHIC, customLayout: CUSTOM })).ecc).toBe('M');
  });

  it('sg-inside: a hole of about 25 % clear of every function module, pattern capped by spec.cells', () => {
    for (const urlLength of [20, 45, 80, 150, 300, 600, 1200]) {
      const plan = planRender(input({ layout: 'sg-inside', urlLength, graphic: { ...GRAPHIC, cells: 512, cellDots: 1 }, sizeMm: 60 }));
      const hole = plan.hole!;
      expect(hole.modules).toBeLessThanOrEqual(Math.floor(plan.modules / 4));
      expect(hole.modules).toBeGreaterThanOrEqual(Math.floor(plan.modules / 8));
      const mask = functionModuleMask(plan.qrVersion);
      for (let r = hole.row; r < hole.row + hole.modules; r++) {
        for (let c = hole.column; c < hole.column + hole.modules; c++) expect(mask[r * plan.modules + c]).toBe(0);
      }
      // Near the centre: the hole comes within 3 modules of the centre module.
      const centre = (plan.modules - 1) / 2;
      expect(hole.row - 3).toBeLessThanOrEqual(centre);
      expect(hole.row + hole.modules - 1 + 3).toBeGreaterThanOrEqual(centre);
      const g = plan.graphic!;
      expect(g.cells).toBe(Math.floor(((hole.modules - 2) * plan.dotsPerModule) / g.cellDots));
    }
    const capped = planRender(input({ layout: 'sg-inside', graphic: { ...GRAPHIC, cells: 8 }, sizeMm: 30 }));
    expect(capped.graphic!.cells).toBe(8);
  });

  it('sg-inside: the hole is exactly centred for versions 2–6', () => {
    for (const urlLength of [14, 24, 34, 44, 58]) {
      const plan = planRender(input({ layout: 'sg-inside', urlLength, graphic: GRAPHIC, sizeMm: 20 }));
      expect(plan.qrVersion).toBeGreaterThanOrEqual(2);
      expect(plan.qrVersion).toBeLessThanOrEqual(6);
      const hole = plan.hole!;
      expect(hole.row).toBe((plan.modules - hole.modules) / 2);
      expect(hole.column).toBe(hole.row);
    }
  });

  it('sg-outside: pattern right of the QR, vertically centred, inside the image', () => {
    const plan = planRender(input({ layout: 'sg-outside', graphic: { cells: 100, cellDots: 3, density: 0.5 } }));
    const g = plan.graphic!;
    expect(g.sizeDots).toBe(300);
    expect(g.x).toBeGreaterThan(plan.qrOrigin.x + plan.modules * plan.dotsPerModule);
    expect(Math.abs(g.y + g.sizeDots / 2 - plan.height / 2)).toBeLessThanOrEqual(1);
    for (const m of plan.fiducials) {
      expect(m.x).toBeGreaterThanOrEqual(0);
      expect(m.y).toBeGreaterThanOrEqual(0);
      expect(m.x + m.size).toBeLessThanOrEqual(plan.width);
      expect(m.y + m.size).toBeLessThanOrEqual(plan.height);
    }
  });

  it('custom: converts millimetres to dots', () => {
    const plan = planRender(input({ layout: 'custom', graphic: GRAPHIC, customLayout: CUSTOM, dpi: 600 }));
    expect(plan.width).toBe(Math.round((40 / 25.4) * 600));
    expect(plan.height).toBe(Math.round((20 / 25.4) * 600));
    expect(plan.graphic!.x).toBe(Math.round((24 / 25.4) * 600));
    expect(plan.qrOrigin.x).toBe(Math.round((1 / 25.4) * 600) + 4 * plan.dotsPerModule);
    expect(plan.fiducials).toHaveLength(12);
  });

  describe('errors', () => {
    it('rejects bad dpi, URL length and size', () => {
      for (const dpi of [0, -600, Number.NaN, Number.POSITIVE_INFINITY, 20, 100_000]) {
        expect(() => planRender(input({ dpi }))).toThrow(RangeError);
      }
      expect(() => planRender(input({ dpi: 0 }))).toThrow(/dpi/);
      expect(() => planRender(input({ urlLength: 0 }))).toThrow(/urlLength/);
      expect(() => planRender(input({ urlLength: 5000 }))).toThrow(/does not fit/);
      expect(() => planRender(input({ sizeMm: 0 }))).toThrow(/sizeMm/);
      expect(() => planRender(input({ layout: 'round' as never }))).toThrow(/layout/);
    });

    it('requires the graphic exactly when the layout has one', () => {
      expect(() => planRender(input({ layout: 'sg-outside' }))).toThrow(/needs a secure graphic/);
      expect(() => planRender(input({ layout: 'sg-inside' }))).toThrow(RangeError);
      expect(() => planRender(input({ layout: 'none', graphic: GRAPHIC }))).toThrow(/no secure graphic/);
      expect(() => planRender(input({ layout: 'sg-outside', graphic: { ...GRAPHIC, cells: 3 } }))).toThrow(/cells/);
      expect(() => planRender(input({ layout: 'sg-outside', graphic: { ...GRAPHIC, cellDots: 0 } }))).toThrow(/cellDots/);
      expect(() => planRender(input({ layout: 'sg-outside', graphic: { ...GRAPHIC, density: 1 } }))).toThrow(/density/);
    });

    it('refuses an inside graphic that cannot fit', () => {
      expect(() =>
        planRender(input({ layout: 'sg-inside', graphic: { ...GRAPHIC, cellDots: 8 }, dpi: 300, sizeMm: 5 })),
      ).toThrow(/too small for an inside secure graphic/);
    });

    it('requires the custom layout exactly for layout custom', () => {
      expect(() => planRender(input({ layout: 'custom', graphic: GRAPHIC }))).toThrow(/custom layout/);
      expect(() => planRender(input({ layout: 'sg-outside', graphic: GRAPHIC, customLayout: CUSTOM }))).toThrow(
        /only allowed/,
      );
    });

    it('rejects a custom graphic outside the canvas or overlapping the QR code', () => {
      const outside = { ...CUSTOM, graphic: { x_mm: 38, y_mm: 5 } };
      expect(() => planRender(input({ layout: 'custom', graphic: GRAPHIC, customLayout: outside }))).toThrow(
        /does not fit inside/,
      );
      const nearEdge = { ...CUSTOM, graphic: { x_mm: 24, y_mm: 0 } };
      expect(() => planRender(input({ layout: 'custom', graphic: GRAPHIC, customLayout: nearEdge }))).toThrow(
        /does not fit inside/,
      );
      // The pattern starts right of the QR box but its fiducial ring reaches into it.
      const overlapping = { ...CUSTOM, width_mm: 60, graphic: { x_mm: 19.5, y_mm: 5 } };
      const big = { cells: 100, cellDots: 3, density: 0.5 };
      expect(() => planRender(input({ layout: 'custom', graphic: big, customLayout: overlapping }))).toThrow(
        /overlaps the QR code/,
      );
      const inside = { ...CUSTOM, graphic: { x_mm: 5, y_mm: 5 } };
      expect(() => planRender(input({ layout: 'custom', graphic: GRAPHIC, customLayout: inside }))).toThrow(
        /invalid custom layout: .*overlap/,
      );
    });

    it('refuses images too large to hold in memory', () => {
      expect(() => planRender(input({ sizeMm: 2000, dpi: 10_000 }))).toThrow(/dots/);
    });
  });
});

describe('parseCustomLayoutDefinition', () => {
  it('returns a clean copy of a valid definition', () => {
    expect(parseCustomLayoutDefinition({ ...CUSTOM, name: 'ignored' })).toEqual(CUSTOM);
  });

  it('explains what is wrong', () => {
    const cases: Array<[unknown, RegExp, string | null]> = [
      [null, /must be an object/, null],
      [[], /must be an object/, null],
      [{ ...CUSTOM, width_mm: 0 }, /width_mm must be a positive number/, 'width_mm'],
      [{ ...CUSTOM, height_mm: '20' }, /height_mm must be a positive number/, 'height_mm'],
      [{ ...CUSTOM, qr: undefined }, /qr must be an object/, 'qr'],
      [{ ...CUSTOM, qr: { x_mm: 1, y_mm: 1 } }, /qr.size_mm must be a positive number/, 'qr.size_mm'],
      [{ ...CUSTOM, qr: { x_mm: -1, y_mm: 1, size_mm: 5 } }, /qr.x_mm must be a number/, 'qr.x_mm'],
      [{ ...CUSTOM, graphic: { x_mm: 1 } }, /graphic.y_mm must be a number/, 'graphic.y_mm'],
      [{ ...CUSTOM, qr: { x_mm: 30, y_mm: 1, size_mm: 18 } }, /QR code does not fit.*width_mm/, 'qr.x_mm'],
      [{ ...CUSTOM, qr: { x_mm: 1, y_mm: 5, size_mm: 18 } }, /QR code does not fit.*height_mm/, 'qr.y_mm'],
      [{ ...CUSTOM, graphic: { x_mm: 40, y_mm: 1 } }, /graphic.x_mm .* less than width_mm/, 'graphic.x_mm'],
      [{ ...CUSTOM, graphic: { x_mm: 5, y_mm: 5 } }, /must not overlap the QR code/, 'graphic'],
    ];
    for (const [value, message, field] of cases) {
      let error: unknown;
      try {
        parseCustomLayoutDefinition(value);
      } catch (err) {
        error = err;
      }
      expect(error, JSON.stringify(value)).toBeInstanceOf(CustomLayoutError);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(message);
      expect((error as CustomLayoutError).field).toBe(field);
    }
  });
});

describe('planRender with the URL shape', () => {
  const input = (prefix: string, idCharset: 'alphanumeric' | 'byte') => ({
    layout: 'sg-inside' as const, urlLength: prefix.length + 21, dpi: 600, sizeMm: 12,
    graphic: { cells: 16, cellDots: 2, density: 0.5 }, customLayout: null,
    urlShape: { prefix, idLength: 21, idCharset },
  });

  it('an uppercase prefix with alphanumeric IDs needs a smaller symbol than byte mode', () => {
    const upper = planRender(input('HTTPS://QR2.CH/Q/', 'alphanumeric'));
    const lower = planRender(input('https://qr2.ch/q/', 'alphanumeric'));
    const bytes = planRender({ ...input('HTTPS://QR2.CH/Q/', 'alphanumeric'), urlShape: undefined });
    expect(upper.qrVersion).toBe(4); // 38 alphanumeric characters at ECC H
    expect(bytes.qrVersion).toBe(5); // 38 bytes at ECC H
    expect(lower.qrVersion).toBeGreaterThanOrEqual(upper.qrVersion);
    expect(lower.qrVersion).toBeLessThanOrEqual(bytes.qrVersion);
    expect(upper.dotsPerModule).toBeGreaterThanOrEqual(lower.dotsPerModule);
  });

  it('refuses a shape that does not add up to the URL length', () => {
    expect(() => planRender({ ...input('https://x/', 'byte'), urlLength: 5 })).toThrow(/does not add up/);
  });
});
