import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress, renderBar } from './progress.js';

const capture = () => {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk) => (text += String(chunk)));
  return { stream, text: () => text };
};

describe('progress', () => {
  it('renders a 30-cell bar with one decimal, clamped to 0…100', () => {
    expect(renderBar(0)).toBe(`[${'.'.repeat(30)}]   0.0%`);
    expect(renderBar(50)).toBe(`[${'#'.repeat(15)}${'.'.repeat(15)}]  50.0%`);
    expect(renderBar(140)).toBe(`[${'#'.repeat(30)}] 100.0%`);
  });

  it('on a terminal redraws one line with a carriage return and ends it with a newline', () => {
    const out = capture();
    const progress = createProgress({ tty: true, stream: out.stream });
    progress.update(10, 'a');
    progress.update(10, 'a'); // unchanged: not redrawn
    progress.update(100, 'done');
    progress.end();
    expect(out.text()).toBe(`\r${renderBar(10)}  a\x1b[K\r${renderBar(100)}  done\x1b[K\n`);
  });

  it('on a terminal holds back redraws within 100 ms but draws the last state at the end', () => {
    const out = capture();
    const progress = createProgress({ tty: true, stream: out.stream });
    progress.update(10, 'a');
    progress.update(20, 'b');
    progress.update(40, 'failed');
    progress.end();
    expect(out.text()).toBe(`\r${renderBar(10)}  a\x1b[K\r${renderBar(40)}  failed\x1b[K\n`);
  });

  it('off a terminal prints a line per change, in steps when asked', () => {
    const out = capture();
    const progress = createProgress({ tty: false, plainStep: 10, stream: out.stream });
    for (const percent of [0, 3, 9.9, 10, 55, 59, 100]) progress.update(percent, 'x');
    progress.end();
    expect(out.text()).toBe('0%  x\n10%  x\n50%  x\n100%  x\n');
  });
});
