/**
 * The ØVELSE banner: shown on every page while the signed-in member's people
 * (or a coordinator) take part in a running exercise. The hub says so with
 * `banner` in GET /api/v1/exercises; the dashboard asks every 30 seconds
 * (while the tab is seen), on every navigation, when the tab is looked at
 * again, and when the exercises page starts or stops a run.
 * Sensors never sign in to the dashboard, so only members' people and
 * coordinators ask.
 */
import { useEffect, useSyncExternalStore } from 'react';
import { ApiError } from '../../api';
import { useI18n, useT } from '../../i18n';
import { useSession } from '../../session';
import { listExercises, type ExerciseText } from './api';
import './exercises.css';

const POLL_MS = 30_000;

let banner: ExerciseText | null = null;
let asked = 0;
const listeners = new Set<() => void>();

function publish(next: ExerciseText | null): void {
  if (next?.da === banner?.da && next?.en === banner?.en) return;
  banner = next;
  for (const listener of listeners) listener();
}

/**
 * Asks the hub whether a run the caller is in runs now. A failed answer
 * keeps what was shown (a lost connection does not hide an exercise), except
 * a refusal, which clears it.
 */
export async function refreshExerciseBanner(signal?: AbortSignal): Promise<void> {
  const call = ++asked;
  try {
    const list = await listExercises(signal);
    if (call === asked) publish(list.banner ?? null);
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403) && call === asked) publish(null);
  }
}

function useBanner(): ExerciseText | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => banner,
  );
}

/**
 * The banner's place under the header. The status region is always there
 * (empty when no exercise runs), so a screen reader announces the banner
 * when it appears. `route` changes on every navigation.
 */
export function ExerciseBanner({ route }: { route: unknown }) {
  const { lang } = useI18n();
  const t = useT('exercises');
  const { me } = useSession();
  const eligible = !!me && (me.coordinator || me.role === 'member');
  const who = eligible ? me.member : '';
  const shown = useBanner();

  useEffect(() => {
    if (!who) {
      asked += 1;
      publish(null);
      return;
    }
    const controller = new AbortController();
    void refreshExerciseBanner(controller.signal);
    const timer = window.setInterval(() => {
      if (!document.hidden) void refreshExerciseBanner(controller.signal);
    }, POLL_MS);
    // A tab in the background does not ask; it asks again when it is looked at.
    const onVisible = () => {
      if (!document.hidden) void refreshExerciseBanner(controller.signal);
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      controller.abort();
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [who, route]);

  return (
    <div className="exercise-banner-slot" role="status">
      {shown && who ? (
        <div className="exercise-banner" data-testid="exercise-banner">
          <strong className="exercise-banner-text">
            <span className="exercise-banner-mark" aria-hidden="true">
              ⚠{' '}
            </span>
            {shown[lang]} – {t('bannerText')}
          </strong>{' '}
          <a href="#/exercises" data-testid="exercise-banner-link">
            {t('bannerLink')}
          </a>
        </div>
      ) : null}
    </div>
  );
}
