/** Pieces the exercises pages share: a run's state and an expected action's outcome in words (never colour alone). */
import { useI18n, useT } from '../../i18n';
import type { ExerciseText, Outcome, RunState } from './api';

const STATE_MARK: Record<RunState, string> = { running: '●', finished: '✓', stopped: '■' };

export function StateLabel({ state }: { state: RunState }) {
  const t = useT('exercises');
  return (
    <span className={`exr-state exr-state-${state}`} data-state={state}>
      <span aria-hidden="true">{STATE_MARK[state]} </span>
      {t(`state.${state}`)}
    </span>
  );
}

const OUTCOME_MARK: Record<Outcome, string> = { on_time: '✓', late: '◐', missed: '✗', pending: '…', not_started: '○' };

export function OutcomeLabel({ outcome }: { outcome: Outcome }) {
  const t = useT('exercises');
  return (
    <span className={`exr-outcome exr-outcome-${outcome}`} data-outcome={outcome}>
      <span aria-hidden="true">{OUTCOME_MARK[outcome]} </span>
      {t(`outcome.${outcome}`)}
    </span>
  );
}

/** A text the hub gives in both languages, in the current one. */
export function useText(): (text: ExerciseText | undefined) => string {
  const { lang } = useI18n();
  return (text) => (text ? text[lang] || text.da : '');
}
