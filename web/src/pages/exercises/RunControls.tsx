import { useEffect, useRef, useState } from 'react';
import { useT } from '../../i18n';
import { ConfirmStep } from '../../ui/ConfirmStep';
import { HubDetail } from '../../ui/HubDetail';
import { useAction } from '../../ui/useAction';
import { refreshExerciseBanner } from './ExerciseBanner';
import { openReport, stopExercise, type ExerciseRun } from './api';
import { useText } from './common';

/** A coordinator's buttons for one run: the after-action report (opened in a new tab) and, while it runs, stop with a confirmation. */
export function RunControls({ run, onStopped }: { run: ExerciseRun; onStopped: (run: ExerciseRun) => void }) {
  const t = useT('exercises');
  const text = useText();
  const title = text(run.title);
  const [confirming, setConfirming] = useState(false);
  const stoppedNote = useRef<HTMLParagraphElement>(null);
  const report = useAction(() => openReport(run.id));
  const stop = useAction(async () => {
    const stopped = await stopExercise(run.id);
    setConfirming(false);
    onStopped(stopped);
    void refreshExerciseBanner();
    return stopped;
  });
  // The stop button and its confirmation are gone once the run stops: focus goes to what happened.
  useEffect(() => {
    if (stop.state.status === 'ok') stoppedNote.current?.focus();
  }, [stop.state.status]);
  return (
    <div className="exr-controls" data-testid="exercises-controls" data-id={run.id}>
      <button
        type="button"
        className="button-secondary"
        disabled={report.pending}
        onClick={() => void report.run()}
        aria-label={t('reportOf', { title })}
        data-testid="exercises-report"
      >
        {t('report')}
      </button>
      {run.state === 'running' ? (
        <ConfirmStep
          open={confirming}
          label={t('stop')}
          text={t('stopText', { title })}
          confirmLabel={t('stopConfirm')}
          pending={stop.pending}
          danger
          onOpen={() => {
            stop.reset();
            setConfirming(true);
          }}
          onCancel={() => setConfirming(false)}
          onConfirm={() => void stop.run()}
          testId="exercises-stop"
        />
      ) : null}
      {stop.state.status === 'ok' ? (
        <p role="status" className="form-ok" tabIndex={-1} ref={stoppedNote} data-testid="exercises-stopped">
          {t('stopped', { title })}
        </p>
      ) : null}
      {report.state.status === 'error' ? (
        <div className="error" role="alert">
          <p>{t('reportFailed')}</p>
          <HubDetail message={report.state.error.serverMessage} />
        </div>
      ) : null}
      {stop.state.status === 'error' ? (
        <div className="error" role="alert">
          <p>{t('stopRefused')}</p>
          <HubDetail message={stop.state.error.serverMessage} always />
        </div>
      ) : null}
    </div>
  );
}
