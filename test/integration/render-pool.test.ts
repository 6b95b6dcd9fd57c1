import { readdirSync, readFileSync } from 'node:fs';
import { crc32, inflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { PatternGenerator } from '../../src/codegen/graphic/pattern.js';
import { planRender } from '../../src/codegen/render/plan-render.js';
import { renderBatch, readRenderedBatch, type RenderBatchTask } from '../../src/codegen/render/render-batch.js';
import { renderCodeImage } from '../../src/codegen/render/render-code.js';
import type { CodeLayout, GraphicSpec } from '../../src/codegen/render/types.js';
import { ThreadRenderPool } from '../../src/domain/codes/render-pool.js';
import { decodeQrPng } from '../helpers/qr-decode.js';

// The render threads run the built worker (dist/), as in production; `npm test` builds first.
const KEY = new Uint8Array(32).map((_, i) => (i * 29 + 3) & 0xff);
const pool = new ThreadRenderPool(2, KEY);
afterAll(() => pool.close());

const GRAPHIC: GraphicSpec = { cells: 24, cellDots: 2, density: 0.45 };
const ids = Array.from({ length: 40 }, (_, i) => `ID${String(i).padStart(10, '0')}X`);
const urls = ids.map((id) => `https://sigil.example/q/${id}`);

function taskFor(layout: Exclude<CodeLayout, 'custom'>, format: 'png' | 'svg', patternIds: string[] | string | null): RenderBatchTask {
  const plan = planRender({
    layout, urlLength: urls[0]!.length, dpi: 600, sizeMm: layout === 'none' ? 20 : 12,
    graphic: layout === 'none' ? null : GRAPHIC, customLayout: null,
  });
  return { plan, format, urls, patternIds };
}

describe('render pool (worker threads)', () => {
  it('renders PNG batches that decode to their URLs, with the right CRC-32, identical to rendering in-thread', async () => {
    for (const task of [taskFor('none', 'png', null), taskFor('sg-outside', 'png', ids), taskFor('sg-inside', 'png', 'workorder:7')]) {
      const { images } = await pool.render(task);
      expect(images).toHaveLength(urls.length);
      const local = readRenderedBatch(renderBatch(task, new PatternGenerator(KEY)));
      images.forEach((image, i) => {
        expect(crc32(image.data)).toBe(image.crc32);
        expect(image.size).toBe(image.data.byteLength);
        expect(Buffer.from(image.data).equals(Buffer.from(local[i]!.data))).toBe(true);
      });
      for (const i of [0, 17, 39]) expect(decodeQrPng(Buffer.from(images[i]!.data))).toBe(urls[i]);
    }
  });

  it('a static graphic is the same in every image; a serialized one differs per code', async () => {
    const shared = (await pool.render(taskFor('sg-outside', 'png', 'workorder:7'))).images;
    const serialized = (await pool.render(taskFor('sg-outside', 'png', ids))).images;
    const plan = taskFor('sg-outside', 'png', null).plan;
    const patterns = new PatternGenerator(KEY);
    const expectedShared = renderCodeImage(plan, urls[3]!, patterns.derive('workorder:7', GRAPHIC.cells, GRAPHIC.density), 'png');
    const expectedOwn = renderCodeImage(plan, urls[3]!, patterns.derive(ids[3]!, GRAPHIC.cells, GRAPHIC.density), 'png');
    expect(Buffer.from(shared[3]!.data).equals(expectedShared.data)).toBe(true);
    expect(Buffer.from(serialized[3]!.data).equals(expectedOwn.data)).toBe(true);
    expect(expectedShared.data.equals(expectedOwn.data)).toBe(false);
  });

  it('deflates SVG images in the thread; they inflate to the SVG of the code', async () => {
    const task = taskFor('sg-outside', 'svg', ids);
    const { images } = await pool.render(task);
    const patterns = new PatternGenerator(KEY);
    for (const i of [0, 21]) {
      const svg = inflateRawSync(images[i]!.data);
      const expected = renderCodeImage(task.plan, urls[i]!, patterns.derive(ids[i]!, GRAPHIC.cells, GRAPHIC.density), 'svg');
      expect(svg.equals(expected.data)).toBe(true);
      expect(images[i]!.size).toBe(svg.length);
      expect(images[i]!.crc32).toBe(crc32(svg));
      expect(svg.toString('utf8')).toMatch(/^<svg /);
    }
  });

  it.runIf(process.platform === 'linux')('render threads run at a lower priority than the main thread', async () => {
    await pool.render(taskFor('none', 'png', null));
    // Field 19 of /proc/<pid>/task/<tid>/stat is the nice value (after the parenthesised command name).
    const niceOf = (tid: string) => Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
    const main = niceOf(String(process.pid));
    const nices = readdirSync('/proc/self/task').map(niceOf);
    expect(nices.filter((n) => n === Math.min(19, main + 5)).length).toBeGreaterThanOrEqual(1);
  });

  it('a bad task rejects with the reason and leaves the pool usable', async () => {
    const task = taskFor('sg-outside', 'png', ids.slice(0, 3));
    await expect(pool.render(task)).rejects.toThrow(/expected 40 pattern identities, got 3/);
    const tooLong = { ...taskFor('none', 'png', null), urls: [`https://sigil.example/q/${'X'.repeat(400)}`] };
    await expect(pool.render(tooLong)).rejects.toThrow(RangeError);
    expect((await pool.render(taskFor('none', 'png', null))).images).toHaveLength(urls.length);
  });

  it('a released batch buffer is rendered into again; one too small is replaced; results stay exact', async () => {
    const patterns = new PatternGenerator(KEY);
    const expectImages = (task: RenderBatchTask, images: ReturnType<typeof readRenderedBatch>) => {
      const local = readRenderedBatch(renderBatch(task, patterns));
      expect(images).toHaveLength(local.length);
      images.forEach((image, i) => {
        expect(Buffer.from(image.data).equals(Buffer.from(local[i]!.data))).toBe(true);
        expect(image.crc32).toBe(local[i]!.crc32);
      });
    };
    const small = taskFor('none', 'png', null);
    const first = await pool.render(small);
    expectImages(small, first.images);
    const firstBuffer = first.images[0]!.data.buffer;
    first.release();
    first.release(); // twice is harmless: the buffer is handed back once
    const second = await pool.render(taskFor('sg-outside', 'png', ids));
    expect(firstBuffer.byteLength).toBe(0); // transferred back to a render thread: detached here
    expect(second.images[0]!.data.buffer.byteLength).toBeGreaterThan(0);
    expectImages(taskFor('sg-outside', 'png', ids), second.images);
    second.release();
    // SVG batches are larger than the recycled PNG buffer: the thread allocates a bigger one.
    const svgTask = taskFor('sg-inside', 'svg', ids);
    const svg = await pool.render(svgTask);
    expectImages(svgTask, svg.images);
  });
});

describe('renderBatch into a recycled buffer', () => {
  it('uses a large enough buffer as it is, records the bytes used, and allocates when it is too small', () => {
    const patterns = new PatternGenerator(KEY);
    const task = taskFor('sg-outside', 'png', ids);
    const fresh = renderBatch(task, patterns);
    const big = new ArrayBuffer(fresh.byteLength * 2);
    expect(renderBatch(task, patterns, big)).toBe(big);
    const tiny = new ArrayBuffer(64);
    const replaced = renderBatch(task, patterns, tiny);
    expect(replaced).not.toBe(tiny);
    const expected = readRenderedBatch(fresh);
    for (const buffer of [big, replaced]) {
      readRenderedBatch(buffer).forEach((image, i) => expect(Buffer.from(image.data).equals(Buffer.from(expected[i]!.data))).toBe(true));
    }
  });

  it('rejects a buffer whose header claims more bytes than it has', () => {
    const buffer = renderBatch(taskFor('none', 'png', null), new PatternGenerator(KEY));
    new Uint32Array(buffer, 0, 2)[1] = buffer.byteLength + 1;
    expect(() => readRenderedBatch(buffer)).toThrow(/says \d+ bytes/);
  });
});
