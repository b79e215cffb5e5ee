import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const WEB_SRC = path.resolve(__dirname, '..', 'apps', 'web', 'src');
const I18N = path.join(WEB_SRC, 'i18n');
const LANGUAGES = ['en', 'fr', 'ar', 'es', 'pt'];

const catalogue = (lang: string): Record<string, string> => JSON.parse(readFileSync(path.join(I18N, `${lang}.json`), 'utf8')) as Record<string, string>;
/** Administration strings are kept in catalogues of their own (admin-<lang>.json), merged by the loader. */
const adminCatalogue = (lang: string): Record<string, string> => catalogue(`admin-${lang}`);
/** Survey strings (issue 15) too, in survey-<lang>.json; Swahili's is written ahead of the language itself. */
const surveyCatalogue = (lang: string): Record<string, string> => catalogue(`survey-${lang}`);
const merged = (lang: string): Record<string, string> => ({ ...catalogue(lang), ...adminCatalogue(lang), ...surveyCatalogue(lang) });

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) ? [full] : [];
  });
}

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

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

  it.each(LANGUAGES.filter((l) => l !== 'en'))('when the %s administration catalogue is compared with English, then it has exactly the same keys and placeholders, none empty', (lang) => {
    const adminEn = adminCatalogue('en');
    const other = adminCatalogue(lang);
    const missing = Object.keys(adminEn).filter((k) => !(k in other));
    const extra = Object.keys(other).filter((k) => !(k in adminEn));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    const badPlaceholders = Object.keys(adminEn).filter((k) => placeholders(adminEn[k]!).join() !== placeholders(other[k] ?? '').join());
    expect(badPlaceholders).toEqual([]);
    expect(Object.keys(other).filter((k) => !other[k]!.trim())).toEqual([]);
  });

  it.each([...LANGUAGES.filter((l) => l !== 'en'), 'sw'])('when the %s survey catalogue is compared with English, then it has exactly the same keys and placeholders, none empty, none shadowing another catalogue', (lang) => {
    const surveyEn = surveyCatalogue('en');
    const other = surveyCatalogue(lang);
    const missing = Object.keys(surveyEn).filter((k) => !(k in other));
    const extra = Object.keys(other).filter((k) => !(k in surveyEn));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    const badPlaceholders = Object.keys(surveyEn).filter((k) => placeholders(surveyEn[k]!).join() !== placeholders(other[k] ?? '').join());
    expect(badPlaceholders).toEqual([]);
    expect(Object.keys(other).filter((k) => !other[k]!.trim())).toEqual([]);
    expect(Object.keys(other).filter((k) => !/^(survey|station|surveys)\./.test(k))).toEqual([]);
    if (lang !== 'sw') expect(Object.keys(other).filter((k) => k in catalogue(lang) || k in adminCatalogue(lang))).toEqual([]);
  });

  it('when the administration catalogues are merged with the main ones, then their keys all start with "admin." and none shadows a main key', () => {
    for (const lang of LANGUAGES) {
      const keys = Object.keys(adminCatalogue(lang));
      expect(keys.length).toBeGreaterThan(100);
      expect(keys.filter((k) => !k.startsWith('admin.'))).toEqual([]);
      const main = catalogue(lang);
      expect(keys.filter((k) => k in main)).toEqual([]);
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
