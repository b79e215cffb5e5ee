import { LANGUAGES, language, t, type Language } from '../i18n';

export function LanguagePicker({ onChange }: { onChange: (l: Language) => void }) {
  return (
    <div class="language-picker">
      <label for="language">{t('app.language')}</label>
      <select id="language" value={language()} onChange={(e) => onChange(e.currentTarget.value as Language)}>
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.name}
          </option>
        ))}
      </select>
    </div>
  );
}
