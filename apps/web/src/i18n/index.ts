import ar from './ar.json';
import en from './en.json';
import es from './es.json';
import fr from './fr.json';
import pt from './pt.json';
import sw from './sw.json';
// Administration strings live in their own catalogues, merged here (keys start with "admin.").
import adminAr from './admin-ar.json';
import adminEn from './admin-en.json';
import adminEs from './admin-es.json';
import adminFr from './admin-fr.json';
import adminPt from './admin-pt.json';
import adminSw from './admin-sw.json';
import { expandPlurals } from './plural';
// Integrity monitoring strings (keys start with "monitoring.").
import monitoringAr from './monitoring-ar.json';
import monitoringEn from './monitoring-en.json';
import monitoringEs from './monitoring-es.json';
import monitoringFr from './monitoring-fr.json';
import monitoringPt from './monitoring-pt.json';
import monitoringSw from './monitoring-sw.json';
// Survey strings (issue 15): keys start with "survey.", "station.", "surveys." or "factor.".
import surveyAr from './survey-ar.json';
import surveyEn from './survey-en.json';
import surveyEs from './survey-es.json';
import surveyFr from './survey-fr.json';
import surveyPt from './survey-pt.json';
import surveySw from './survey-sw.json';

export type MessageKey = keyof typeof en | keyof typeof adminEn | keyof typeof monitoringEn | keyof typeof surveyEn;
export type Language = 'en' | 'fr' | 'ar' | 'es' | 'pt' | 'sw';
type Catalogue = Record<MessageKey, string>;

/** Each language named in itself, so a reader finds theirs whatever is showing. */
export const LANGUAGES: { code: Language; name: string; dir: 'ltr' | 'rtl' }[] = [
  { code: 'en', name: 'English', dir: 'ltr' },
  { code: 'fr', name: 'Français', dir: 'ltr' },
  { code: 'ar', name: 'العربية', dir: 'rtl' },
  { code: 'es', name: 'Español', dir: 'ltr' },
  { code: 'pt', name: 'Português', dir: 'ltr' },
  { code: 'sw', name: 'Kiswahili', dir: 'ltr' },
];

const CATALOGUES: Record<Language, Catalogue> = {
  en: { ...en, ...adminEn, ...monitoringEn, ...surveyEn },
  fr: { ...fr, ...adminFr, ...monitoringFr, ...surveyFr },
  ar: { ...ar, ...adminAr, ...monitoringAr, ...surveyAr },
  es: { ...es, ...adminEs, ...monitoringEs, ...surveyEs },
  pt: { ...pt, ...adminPt, ...monitoringPt, ...surveyPt },
  sw: { ...sw, ...adminSw, ...monitoringSw, ...surveySw },
};

let current: Language = 'en';

export function isLanguage(s: string): s is Language {
  return s in CATALOGUES;
}

/** The browser's preferred language if we have it. Nothing is stored: a shared device keeps no trace. */
export function initialLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0] ?? '';
    if (isLanguage(base)) return base;
  }
  return 'en';
}

export function language(): Language {
  return current;
}

export function setLanguage(lang: Language): void {
  current = lang;
  const root = document.documentElement;
  root.lang = lang;
  root.dir = LANGUAGES.find((l) => l.code === lang)?.dir ?? 'ltr';
  document.title = t('app.title');
}

/**
 * Looks a key up in the current catalogue and fills {name} placeholders. A count is written
 * `{n, plural, one {# file} other {# files}}`: the branch is chosen with Intl.PluralRules for the
 * current language (Arabic has six forms, Swahili two) and `#` is the formatted number.
 */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = CATALOGUES[current][key] ?? CATALOGUES.en[key];
  return fill(text, params);
}

function fill(text: string, params: Record<string, string | number>): string {
  return expandPlurals(text, params, current).replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? formatParam(params[name]!) : whole));
}

function formatParam(v: string | number): string {
  return typeof v === 'number' ? new Intl.NumberFormat(current).format(v) : v;
}

export function formatDate(iso: string | Date, withTime = false): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  return new Intl.DateTimeFormat(current, withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'long' }).format(d);
}

export function formatBytes(n: number): string {
  const units: [number, MessageKey][] = [
    [1024 ** 3, 'unit.gb'],
    [1024 ** 2, 'unit.mb'],
    [1024, 'unit.kb'],
  ];
  for (const [size, key] of units) {
    if (n >= size) return t(key, { n: new Intl.NumberFormat(current, { maximumFractionDigits: 1 }).format(n / size) });
  }
  return t('unit.bytes', { n });
}

/** A list in the current language's way ("a, b and c"; Arabic "أ وب وج"), not joined with Latin commas. */
export function formatList(items: string[], type: 'conjunction' | 'unit' = 'conjunction'): string {
  return new Intl.ListFormat(current, { style: type === 'unit' ? 'short' : 'long', type }).format(items);
}
