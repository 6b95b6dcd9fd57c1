export const PAGE_LANGUAGES = ['en', 'fr', 'de', 'zh'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

/**
 * The visitor's language among those the pages are written in, by the Accept-Language header's
 * preferences (q-values, then order); English when none of them is offered.
 */
export function pageLanguageOf(acceptLanguage: string | undefined): PageLanguage {
  if (!acceptLanguage) return 'en';
  let best: PageLanguage = 'en';
  let bestQ = 0;
  for (const part of acceptLanguage.slice(0, 512).split(',')) {
    const [tag = '', ...params] = part.trim().split(';');
    const primary = tag.trim().toLowerCase().split('-')[0] ?? '';
    const language = PAGE_LANGUAGES.find((l) => l === primary);
    if (!language) continue;
    let q = 1;
    for (const param of params) {
      const match = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/.exec(param);
      if (match) q = Number(match[1]);
    }
    if (q > bestQ) {
      best = language;
      bestQ = q;
    }
  }
  return best;
}
