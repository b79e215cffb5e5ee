import { render } from 'preact';
// The shared styles first: each area's stylesheet, imported by the area, builds on them.
import './ui/base.css';
import './ui/forms.css';
import './ui/components.css';
import { App } from './app';
import { cryptoWorker } from './crypto/worker-client';
import { initialLanguage, setLanguage, t } from './i18n';
import { registerReleaseGuard } from './release/register';

const root = document.getElementById('app')!;
// The static "loading" note in index.html is for slow or absent JavaScript; the app replaces it.
root.replaceChildren();
const lang = initialLanguage(navigator.languages ?? [navigator.language]);
setLanguage(lang);

function Fatal({ message }: { message: string }) {
  return (
    <main class="boot">
      <h1>Sauti</h1>
      <p class="notice error" role="alert">
        {message}
      </p>
    </main>
  );
}

// Without WebAssembly libsodium cannot run, and nothing may be sent unencrypted: say so plainly.
if (typeof WebAssembly !== 'object' || typeof Worker !== 'function') {
  render(<Fatal message={t('app.noWasm')} />, root);
} else {
  render(<App initial={lang} />, root);
  registerReleaseGuard();
  // Starts the worker early (libsodium takes a moment) and shows a failure at once rather than at "Send".
  cryptoWorker()
    .call('ready', null)
    .catch(() => render(<Fatal message={t('app.workerFailed')} />, root));
}
