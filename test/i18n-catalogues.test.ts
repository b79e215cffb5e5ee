import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { expandPlurals } from '../apps/web/src/i18n/plural';

const WEB_SRC = path.resolve(__dirname, '..', 'apps', 'web', 'src');
const I18N = path.join(WEB_SRC, 'i18n');
const LANGUAGES = ['en', 'fr', 'ar', 'es', 'pt', 'sw'];

const catalogue = (lang: string): Record<string, string> => JSON.parse(readFileSync(path.join(I18N, `${lang}.json`), 'utf8')) as Record<string, string>;
/**
 * Feature strings are kept in catalogues of their own (<feature>-<lang>.json), merged by the loader;
 * each feature's keys start with its own prefix so that none shadows another.
 */
const FEATURES: { name: string; prefix: RegExp }[] = [
  { name: 'admin', prefix: /^admin\./ },
  { name: 'monitoring', prefix: /^monitoring\./ },
  { name: 'survey', prefix: /^(survey|station|surveys)\./ },
].filter((f) => readdirSync(I18N).includes(`${f.name}-en.json`));
const featureCatalogue = (feature: string, lang: string): Record<string, string> => catalogue(`${feature}-${lang}`);
const merged = (lang: string): Record<string, string> => Object.assign({}, catalogue(lang), ...FEATURES.map((f) => featureCatalogue(f.name, lang)));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) ? [full] : [];
  });
}

/** The names a text fills in: plain {name}s and the counts of {n, plural, …} (each once: Arabic repeats them in six branches). */
const placeholders = (text: string): string[] => [...new Set([...text.matchAll(/\{(\w+)(?:\}|, plural,)/g)].map((m) => m[1]!))].sort();
const pluralCounts = (text: string): string[] => [...text.matchAll(/\{(\w+), plural,/g)].map((m) => m[1]!);

describe('the web app catalogues', () => {
  const en = catalogue('en');

  it.each(LANGUAGES.filter((l) => l !== 'en'))('when the %s catalogue is compared with English, then it has exactly the same keys and placeholders, none empty', (lang) => {
    const other = catalogue(lang);
    const missing = Object.keys(en).filter((k) => !(k in other));
    const extra = Object.keys(other).filter((k) => !(k in en));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    const badPlaceholders = Object.keys(en).filter((k) => placeholders(en[k]!).join() !== placeholders(other[k] ?? '').join());
    expect(badPlaceholders).toEqual([]);
    expect(Object.keys(other).filter((k) => !other[k]!.trim())).toEqual([]);
  });

  const featurePairs = FEATURES.flatMap((f) => LANGUAGES.filter((l) => l !== 'en').map((lang) => [f.name, lang] as const));
  it.each(featurePairs)('when the %s catalogue in %s is compared with English, then it has exactly the same keys and placeholders, none empty', (feature, lang) => {
    const english = featureCatalogue(feature, 'en');
    const other = featureCatalogue(feature, lang);
    const missing = Object.keys(english).filter((k) => !(k in other));
    const extra = Object.keys(other).filter((k) => !(k in english));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    const badPlaceholders = Object.keys(english).filter((k) => placeholders(english[k]!).join() !== placeholders(other[k] ?? '').join());
    expect(badPlaceholders).toEqual([]);
    expect(Object.keys(other).filter((k) => !other[k]!.trim())).toEqual([]);
  });

  it.each(LANGUAGES)('when the %s catalogues hold counts, then each is a real plural (Intl.PluralRules categories, an "other" branch) and no "(s)" is left', (lang) => {
    const all = merged(lang);
    const allowed = new Set<string>(new Intl.PluralRules(lang).resolvedOptions().pluralCategories);
    const problems: string[] = [];
    for (const [key, text] of Object.entries(all)) {
      if (/\p{L}\((s|es|ões|x)\)/u.test(text)) problems.push(`${key}: "(s)"`);
      for (const count of pluralCounts(text)) {
        const from = text.indexOf(`{${count}, plural,`);
        let depth = 0;
        let end = from;
        do {
          if (text[end] === '{') depth++;
          else if (text[end] === '}') depth--;
          end++;
        } while (depth > 0 && end < text.length);
        const block = text.slice(from, end);
        const categories = [...block.matchAll(/(?:plural,|\})\s*([=\w]+) \{/g)].map((m) => m[1]!);
        if (!categories.includes('other')) problems.push(`${key}: no "other"`);
        for (const c of categories) if (!c.startsWith('=') && !allowed.has(c)) problems.push(`${key}: "${c}" is not a ${lang} plural category`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('when a count is filled in, then the branch follows the language\'s plural rules (Arabic two, Swahili agreement)', () => {
    const en = catalogue('en');
    const ar = catalogue('ar');
    const sw = catalogue('sw');
    expect(expandPlurals(en['receipt.filesSent']!, { n: 1 }, 'en')).toBe('1 file attached.');
    expect(expandPlurals(en['receipt.filesSent']!, { n: 3 }, 'en')).toBe('3 files attached.');
    expect(expandPlurals(ar['receipt.filesSent']!, { n: 2 }, 'ar')).toBe('تم إرفاق ملفين.');
    expect(expandPlurals(ar['receipt.filesSent']!, { n: 5 }, 'ar')).toBe(`تم إرفاق ${new Intl.NumberFormat('ar').format(5)} ملفات.`);
    expect(expandPlurals(sw['receipt.filesSent']!, { n: 1 }, 'sw')).toBe('Faili 1 imeambatishwa.');
    expect(expandPlurals(sw['receipt.filesSent']!, { n: 2 }, 'sw')).toBe('Faili 2 zimeambatishwa.');
    expect(expandPlurals(en['account.passwordChanged']!, { n: 0 }, 'en')).toBe('Password changed. No other session was open.');
  });

  it('when the loader is read, then every language with a catalogue is offered, with its catalogues merged and its own name', () => {
    const loader = readFileSync(path.join(I18N, 'index.ts'), 'utf8');
    const offered = [...loader.matchAll(/\{ code: '([a-z]{2})', name: '([^']+)'/g)].map((m) => m[1]!);
    expect(offered.sort()).toEqual([...LANGUAGES].sort());
    const files = readdirSync(I18N).filter((f) => /^[a-z]{2}\.json$/.test(f)).map((f) => f.slice(0, 2));
    expect(files.sort()).toEqual([...LANGUAGES].sort());
    for (const lang of LANGUAGES) {
      const suffix = `${lang[0]!.toUpperCase()}${lang[1]}`;
      expect(loader).toContain(`${lang}: { ...${lang}, ${FEATURES.map((f) => `...${f.name}${suffix}`).join(', ')} }`);
    }
    expect(loader).toContain("{ code: 'sw', name: 'Kiswahili', dir: 'ltr' }");
  });

  it.each(LANGUAGES.filter((l) => l !== 'en'))('when the %s catalogues are compared with English, then they are a translation, not a copy (at most 3% of texts the same)', (lang) => {
    const english = merged('en');
    const other = merged(lang);
    const same = Object.keys(english).filter((k) => english[k] === other[k]);
    expect(same.length).toBeLessThanOrEqual(Math.ceil(Object.keys(english).length * 0.03));
  });

  it.each(FEATURES.map((f) => [f.name, f.prefix.source, f.prefix] as const))('when the %s catalogues are merged with the others, then their keys all match %s and none shadows another catalogue\'s key', (feature, _source, prefix) => {
    for (const lang of LANGUAGES) {
      const keys = Object.keys(featureCatalogue(feature, lang));
      expect(keys.length).toBeGreaterThan(10);
      expect(keys.filter((k) => !prefix.test(k))).toEqual([]);
      const others = Object.assign({}, catalogue(lang), ...FEATURES.filter((f) => f.name !== feature).map((f) => featureCatalogue(f.name, lang)));
      expect(keys.filter((k) => k in others)).toEqual([]);
    }
  });

  it('when the UI source is scanned, then every key it looks up exists in every catalogue', () => {
    const used = new Set<string>();
    for (const file of sourceFiles(WEB_SRC)) {
      const text = readFileSync(file, 'utf8');
      // t('key'), and keys kept in tables (e.g. { cancelled: 'error.cancelled' }) for t(table[x]).
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1]!);
      for (const m of text.matchAll(/:\s*'((?:[a-z]+)\.[a-zA-Z0-9_.]+)'/g)) if (m[1]! in en || /^[a-z]+\.[a-z]/.test(m[1]!)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(100);
    for (const lang of LANGUAGES) {
      const cat = merged(lang);
      expect({ lang, missing: [...used].filter((k) => !(k in cat)) }).toEqual({ lang, missing: [] });
    }
  });

  it('when the UI markup is parsed, then no visible text is written into it outside the catalogues', () => {
    const offenders: string[] = [];
    const VISIBLE_ATTRIBUTES = new Set(['aria-label', 'placeholder', 'title', 'alt', 'label']);
    for (const file of sourceFiles(WEB_SRC).filter((f) => f.endsWith('.tsx'))) {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
      const visit = (node: ts.Node): void => {
        // Text between tags with a letter in it; the brand name and punctuation are not translated.
        if (ts.isJsxText(node) && /\p{L}/u.test(node.text) && node.text.trim() !== 'Sauti') offenders.push(`${path.relative(WEB_SRC, file)}: ${node.text.trim()}`);
        if (ts.isJsxAttribute(node) && VISIBLE_ATTRIBUTES.has(node.name.getText()) && node.initializer && ts.isStringLiteral(node.initializer)) {
          offenders.push(`${path.relative(WEB_SRC, file)}: ${node.name.getText()}="${node.initializer.text}"`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(offenders).toEqual([]);
  });

  it('when a string is written straight into markup, then the scan above catches it (the check can fail)', () => {
    const source = ts.createSourceFile('x.tsx', 'const x = <p class="a">Send now</p>;', ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
    const texts: string[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isJsxText(node) && /\p{L}/u.test(node.text)) texts.push(node.text);
      ts.forEachChild(node, visit);
    };
    visit(source);
    expect(texts).toEqual(['Send now']);
  });
});
