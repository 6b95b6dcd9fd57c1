import type { CodeVerdict } from '../../domain/scans/resolver.service.js';
import { FLAG_MAX_SCAN_COUNT } from '../../domain/scans/resolver.service.js';
import { ACTIVATION, BLACKLIST_REASON_MAX_SCAN_COUNT } from '../../domain/workorders/workorder.types.js';
import type { PageLanguage } from './page-language.js';
import { VERDICT_TEXTS, type VerdictTexts } from './verdict-texts.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

type Tone = 'ok' | 'warn' | 'bad';
const MARK: Record<Tone, string> = { ok: '✓', warn: '!', bad: '✕' };

// Inline only: the page loads nothing else (no fonts, scripts or images), so it shows at once on any phone.
const STYLE = `*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;`
  + `background:#f4f5f7;color:#1d2025}main{max-width:30rem;margin:0 auto;padding:1.25rem}`
  + `.card{background:#fff;border-radius:.75rem;box-shadow:0 1px 3px rgba(0,0,0,.12);overflow:hidden}`
  + `.verdict{display:flex;gap:.9rem;align-items:center;padding:1.1rem 1.25rem;color:#fff}`
  + `.ok .verdict{background:#1e7d45}.warn .verdict{background:#a35d00}.bad .verdict{background:#b3261e}`
  + `.mark{flex:none;width:2.6rem;height:2.6rem;border-radius:50%;border:3px solid #fff;display:flex;align-items:center;`
  + `justify-content:center;font-size:1.5rem;font-weight:700}h1{margin:0;font-size:1.3rem;line-height:1.25}`
  + `.body{padding:1rem 1.25rem 1.25rem}.body p{margin:.25rem 0 .9rem}dl{margin:0;display:grid;grid-template-columns:auto 1fr;`
  + `gap:.35rem 1rem}dt{color:#5f6670}dd{margin:0;word-break:break-all}.note{margin-top:1rem;padding:.7rem .9rem;`
  + `border-radius:.5rem;background:#fff4e0;color:#6b3d00}.scans{margin-top:1rem;color:#5f6670;font-size:.93rem}`;

const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** Formatted days by locale and UTC day: formatting costs more than the rest of the page, and days repeat. */
const formattedDays = new Map<string, string>();
const FORMATTED_DAYS_KEPT = 1000;

function formatDate(iso: string, locale: string): string {
  const key = `${locale} ${iso.slice(0, 10)}`;
  const known = formattedDays.get(key);
  if (known !== undefined) return known;
  let format = dateFormats.get(locale);
  if (!format) dateFormats.set(locale, (format = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' })));
  const text = format.format(new Date(iso));
  if (formattedDays.size >= FORMATTED_DAYS_KEPT) formattedDays.clear();
  formattedDays.set(key, text);
  return text;
}

function page(language: PageLanguage, tone: Tone, heading: string, body: string): string {
  const t = VERDICT_TEXTS[language];
  return `<!doctype html><html lang="${language}"><head><meta charset="utf-8">`
    + '<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">'
    + `<title>${escapeHtml(t.title)}</title><style>${STYLE}</style></head><body><main><div class="card ${tone}">`
    + `<div class="verdict"><span class="mark" aria-hidden="true">${MARK[tone]}</span><h1>${escapeHtml(heading)}</h1></div>`
    + `<div class="body">${body}</div></div></main></body></html>`;
}

function row(label: string, value: string | null): string {
  return value ? `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>` : '';
}

function reasonText(t: VerdictTexts, reason: number): string {
  return t.reasons[reason] ?? t.reasons[0]!;
}

/** Sigil's own answer to a scan, for brands without a landing page: the verdict and the code's history. */
export function renderVerdictPage(verdict: CodeVerdict, language: PageLanguage): string {
  const t = VERDICT_TEXTS[language];
  const blacklisted = verdict.activationStatus === ACTIVATION.blacklisted;
  const tone: Tone = blacklisted ? 'bad' : verdict.activationStatus === ACTIVATION.active ? 'ok' : 'warn';
  const state = blacklisted ? t.blacklisted : tone === 'ok' ? t.active : t.inactive;
  let body = `<p>${escapeHtml(state.text)}</p><dl>`
    + (blacklisted ? row(t.reason, reasonText(t, verdict.blacklistReason)) : '')
    + row(t.product, verdict.productName) + row(t.brand, verdict.brandName ?? verdict.companyName)
    + row(t.serialNumber, verdict.serialNumber) + row(t.code, verdict.extendedId) + '</dl>';
  if (verdict.flags.includes(FLAG_MAX_SCAN_COUNT) && !(blacklisted && verdict.blacklistReason === BLACKLIST_REASON_MAX_SCAN_COUNT)) {
    body += `<p class="note">${escapeHtml(t.tooManyScans)}</p>`;
  }
  const history = verdict.scanCount <= 1 || !verdict.firstScanDate
    ? (verdict.scanCount === 1 ? t.firstScan : '')
    : t.scanned(verdict.scanCount, formatDate(verdict.firstScanDate, t.locale));
  if (history) body += `<p class="scans">${escapeHtml(history)}</p>`;
  return page(language, tone, state.heading, body);
}

/** The answer to an ID that is not a code of this platform. */
export function renderUnknownPage(language: PageLanguage): string {
  const t = VERDICT_TEXTS[language];
  return page(language, 'bad', t.unknown.heading, `<p>${escapeHtml(t.unknown.text)}</p>`);
}
