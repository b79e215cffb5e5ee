import type { RefObject } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { LocalizedText, PublicIteration, SurveyResponseBody } from '../crypto/protocol';
import { cryptoWorker } from '../crypto/worker-client';
import { t } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import { NumberInput } from '../ui/number-field';
import { TextField } from '../ui/field';
import { SubmitRow } from '../ui/submit-row';
import { QuestionnaireForm } from './questionnaire-form';
import { pick } from './texts';

type Status = { tokens: number; queued: number; iteration: PublicIteration | null };

/** The station's web app manifest (built by apps/web/release-plugins.ts), so a tablet can install the station. */
export const STATION_MANIFEST = '/survey-station.webmanifest';

/**
 * Links the station's manifest while a station page shows. Only station pages do: a reporter's
 * device must not be offered to install Sauti (an icon on the home screen is a trace).
 */
function useStationManifest(): void {
  useEffect(() => {
    const link = document.createElement('link');
    link.rel = 'manifest';
    link.href = STATION_MANIFEST;
    document.head.append(link);
    return () => link.remove();
  }, []);
}

/**
 * "/survey/station", where the installed station starts: the stations prepared on this device. One
 * opens at once; several are listed; none means the collector opens the station link first.
 */
export function StationLauncher({ heading }: { heading: RefObject<HTMLHeadingElement | null> }) {
  useStationManifest();
  const [stations, setStations] = useState<{ id: string; title: LocalizedText }[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    cryptoWorker().call('stationList', null).then((list) => {
      if (list.length === 1) location.replace(`/survey/${list[0]!.id}/station`);
      else setStations(list);
    }, setError);
  }, []);
  useEffect(() => heading.current?.focus(), [stations === null]);
  return (
    <section class="survey station">
      <h1 ref={heading} tabIndex={-1}>{t('station.heading')}</h1>
      <ErrorBox error={error} />
      {stations === null && !error && <p role="status">{t('survey.loading')}</p>}
      {stations?.length === 0 && <p class="notice">{t('station.noneHere')}</p>}
      {stations && stations.length > 1 && (
        <>
          <p>{t('station.choose')}</p>
          <ul>
            {stations.map((s) => (
              <li key={s.id}>
                <a href={`/survey/${s.id}/station`} dir="auto">{pick(s.title)}</a>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/**
 * "/survey/<iterationId>/station": a collector's tablet. Tokens are redeemed in advance with a
 * station code; each respondent's answers are sealed at once and queued as ciphertext in
 * IndexedDB; the screen resets for the next person; the queue is sent whenever the tablet is online.
 */
export function Station({ iterationId, heading }: { iterationId: string; heading: RefObject<HTMLHeadingElement | null> }) {
  useStationManifest();
  const [status, setStatus] = useState<Status | null>(null);
  const [online, setOnline] = useState(navigator.onLine);
  const [code, setCode] = useState('');
  const [count, setCount] = useState(20);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [thanks, setThanks] = useState(false);
  const [sent, setSent] = useState<number | null>(null);
  // A new form (and a cleared screen) for every respondent.
  const [round, setRound] = useState(0);

  const flush = async () => {
    if (!navigator.onLine) return;
    try {
      const after = await cryptoWorker().call('stationFlush', { iterationId });
      setStatus(after);
      if (after.sent > 0) setSent(after.sent);
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    cryptoWorker().call('stationStatus', { iterationId }).then((s) => {
      setStatus(s);
      if (s.queued > 0) void flush();
    }, setError);
    const up = () => {
      setOnline(true);
      void flush();
    };
    const down = () => setOnline(false);
    addEventListener('online', up);
    addEventListener('offline', down);
    return () => {
      removeEventListener('online', up);
      removeEventListener('offline', down);
    };
  }, [iterationId]);
  useEffect(() => heading.current?.focus(), [round, thanks]);

  const prepare = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      setStatus(await cryptoWorker().call('stationPrepare', { iterationId, code, count }, {
        onProgress: (p) => setBusy(t('station.preparing', { done: p.done ?? 0, total: p.total ?? count })),
      }));
      setCode('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };
  const seal = async (body: SurveyResponseBody) => {
    setError(null);
    try {
      setStatus(await cryptoWorker().call('stationSeal', { iterationId, body }));
      setThanks(true);
      if (navigator.onLine) void flush();
    } catch (err) {
      setError(err);
    }
  };

  const it = status?.iteration ?? null;
  return (
    <section class="survey station">
      <h1 ref={heading} tabIndex={-1} dir="auto">{it ? `${t('station.heading')}: ${pick(it.definition.title)}` : t('station.heading')}</h1>
      <div class="station-bar" role="status">
        <span class={online ? 'online' : 'offline'}>{online ? t('station.online') : t('station.offline')}</span>
        {status && <span>{t('station.ready', { n: status.tokens })}</span>}
        {status && <span>{t('station.queued', { n: status.queued })}</span>}
        {sent !== null && <span>{t('station.sent', { n: sent })}</span>}
        {status && status.queued > 0 && online && (
          <button type="button" class="secondary" onClick={() => void flush()}>
            {t('station.sendNow')}
          </button>
        )}
      </div>
      <ErrorBox error={error} />
      {(!status || status.tokens === 0) && !thanks && (
        <>
          <p>{t('station.intro')}</p>
          {status?.iteration && <p class="notice">{t('station.noTokens')}</p>}
          <form onSubmit={prepare}>
            <TextField id="station-code" label={t('station.codeLabel')} value={code} onValue={setCode} required class="code-input" />
            <NumberInput id="station-count" label={t('surveys.codesUses')} value={count} min={1} max={500} onValue={setCount} />
            <SubmitRow label={t('station.prepare')} busy={busy ? <p class="notice" role="status">{busy}</p> : undefined} disabled={!online || code.trim().length < 16} />
          </form>
        </>
      )}
      {thanks ? (
        <>
          <p class="notice success">{t('station.savedForLater')}</p>
          <button type="button" class="primary" onClick={() => { setThanks(false); setRound(round + 1); }}>
            {t('station.next')}
          </button>
        </>
      ) : (
        it && status && status.tokens > 0 && (
          <>
            <p class="notice">{t('survey.privacy')}</p>
            <QuestionnaireForm key={round} iteration={it} submitLabel={t('survey.submit')} onAnswers={seal} />
          </>
        )
      )}
    </section>
  );
}
