import { describe, expect, it } from 'vitest';
import { pageLanguageOf } from './page-language.js';

describe('pageLanguageOf', () => {
  it('picks the most preferred language the pages are written in', () => {
    expect(pageLanguageOf('fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5')).toBe('fr');
    expect(pageLanguageOf('en;q=0.2, de;q=0.8')).toBe('de');
    expect(pageLanguageOf('es-ES, zh-TW;q=0.4, fr;q=0.3')).toBe('zh');
    expect(pageLanguageOf('DE-at')).toBe('de');
    expect(pageLanguageOf('de;q=0, fr;q=0.1')).toBe('fr');
    expect(pageLanguageOf('fr;q=0.5, de;q=0.5')).toBe('fr');
  });

  it('falls back to English', () => {
    for (const header of [undefined, '', 'es, it', '*', 'de;q=0', ';;;,,,', 'x'.repeat(10_000)]) {
      expect(pageLanguageOf(header), String(header).slice(0, 20)).toBe('en');
    }
  });
});
