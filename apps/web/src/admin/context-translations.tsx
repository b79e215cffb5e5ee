import type { ContextTranslations, UiLanguage } from '@sauti/core/localised';
import { useState } from 'preact/hooks';
import { LANGUAGES, t } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import { SelectField, TextArea } from '../ui/field';
import { SubmitRow } from '../ui/submit-row';
import { admin, issueFor, type ContextRow } from './admin-api';
import { Done, ProblemBox } from './problem-box';
import { useAdminCall } from './use-admin';

/** A text kept apart from the label around it, whatever its direction (U+2068 … U+2069). */
const isolate = (s: string) => `\u2068${s}\u2069`;

/** Every operator text of a context that can be translated, with its key and how to name it. */
function textsOf(c: ContextRow): { key: string; label: string; text: string; long: boolean }[] {
  return [
    { key: 'name', label: t('admin.contexts.name'), text: c.name, long: false },
    ...(c.description ? [{ key: 'description', label: t('admin.contexts.description'), text: c.description, long: true }] : []),
    ...c.categories.map((x) => ({ key: `category.${x.id}`, label: t('admin.translations.category', { text: isolate(x.label) }), text: x.label, long: false })),
    ...c.regions.map((x) => ({ key: `region.${x.id}`, label: t('admin.translations.region', { text: isolate(x.label) }), text: x.label, long: false })),
    ...c.questions.flatMap((q, i) => [
      { key: `question.${q.id}.label`, label: t('admin.translations.question', { n: i + 1, text: isolate(q.label) }), text: q.label, long: false },
      ...(q.help ? [{ key: `question.${q.id}.help`, label: t('admin.translations.questionHelp', { n: i + 1, text: isolate(q.help) }), text: q.help, long: true }] : []),
    ]),
  ];
}

/**
 * The context's operator texts in other UI languages: the language the texts are written in, then
 * one language at a time, a field per text. Reporters see a translation when there is one, the text
 * as written otherwise (marked with its language).
 */
export function ContextTranslationsEditor({ context, onChange }: { context: ContextRow; onChange: (c: ContextRow) => void }) {
  const [defaultLanguage, setDefaultLanguage] = useState<UiLanguage>(context.defaultLanguage);
  const others = LANGUAGES.filter((l) => l.code !== defaultLanguage);
  const [lang, setLang] = useState<UiLanguage>(others[0]!.code);
  const [translations, setTranslations] = useState<ContextTranslations>(context.translations);
  const { problem, error, call } = useAdminCall();
  const [done, setDone] = useState<string | null>(null);
  const current = translations[lang] ?? {};

  const setText = (key: string, value: string) => setTranslations({ ...translations, [lang]: { ...current, [key]: value } });

  const save = async (e: Event) => {
    e.preventDefault();
    setDone(null);
    // Empty fields mean "no translation": they are left out rather than sent empty.
    const cleaned: ContextTranslations = {};
    for (const [l, texts] of Object.entries(translations) as [UiLanguage, Record<string, string>][]) {
      const kept = Object.fromEntries(Object.entries(texts).filter(([, v]) => v.trim() !== ''));
      if (Object.keys(kept).length > 0) cleaned[l] = kept;
    }
    await call(
      () => admin<ContextRow>('PATCH', `/contexts/${context.id}`, { defaultLanguage, translations: cleaned }),
      (updated) => {
        onChange(updated);
        setTranslations(updated.translations);
        setDone(t('admin.translations.saved'));
      },
    );
  };

  return (
    <section class="panel" aria-labelledby="ctx-translations-title">
      <h3 id="ctx-translations-title">{t('admin.translations.title')}</h3>
      <p class="hint">{t('admin.translations.hint')}</p>
      <form onSubmit={save} noValidate>
        <div class="inline-fields">
          <SelectField
            id="ctx-default-language"
            label={t('admin.translations.defaultLanguage')}
            value={defaultLanguage}
            onValue={(v) => {
              const next = (v || 'en') as UiLanguage;
              setDefaultLanguage(next);
              if (next === lang) setLang(LANGUAGES.find((l) => l.code !== next)!.code);
            }}
            options={LANGUAGES.map((l) => ({ value: l.code, label: l.name }))}
            placeholder={t('admin.choose')}
            error={issueFor(problem, 'defaultLanguage')}
          />
          <SelectField
            id="ctx-translate-into"
            label={t('admin.translations.language')}
            value={lang}
            onValue={(v) => v && setLang(v as UiLanguage)}
            options={others.map((l) => ({ value: l.code, label: l.name }))}
            placeholder={t('admin.choose')}
          />
        </div>
        {textsOf(context).map((item) => (
          <TextArea
            key={`${lang}-${item.key}`}
            id={`tr-${lang}-${item.key.replace(/\./g, '-')}`}
            label={item.label}
            rows={item.long ? 3 : 1}
            value={current[item.key] ?? ''}
            onValue={(v) => setText(item.key, v)}
            error={issueFor(problem, `translations.${lang}.${item.key}`)}
          />
        ))}
        <ProblemBox problem={problem} />
        <ErrorBox error={error} />
        <Done text={done} />
        <SubmitRow label={t('admin.translations.save')} />
      </form>
    </section>
  );
}
