import { useId, useState, type FormEvent } from 'react';
import { useT } from '../../i18n';
import { AsyncView } from '../../ui/AsyncView';
import { HubDetail } from '../../ui/HubDetail';
import { useAction } from '../../ui/useAction';
import { useAsync } from '../../ui/useAsync';
import { refreshExerciseBanner } from './ExerciseBanner';
import { listExercises, listScenarios, SPEEDS, startExercise, type ExerciseRun, type ExerciseScenario } from './api';
import { useText } from './common';
import { RunsTable } from './RunsTable';

/** A coordinator: the start form, and every run with its state, stop and after-action report. */
export function CoordinatorExercises() {
  const t = useT('exercises');
  const [list, retry, replace] = useAsync((signal) => listExercises(signal), []);
  const reload = async () => {
    try {
      replace(await listExercises());
    } catch {
      retry();
    }
  };
  const onStopped = (stopped: ExerciseRun) => {
    if (list.status !== 'ok') return;
    replace({ ...list.data, exercises: list.data.exercises.map((run) => (run.id === stopped.id ? stopped : run)) });
    void reload();
  };
  return (
    <div className="exr-page" data-testid="exercises-coordinator">
      <section className="panel" aria-labelledby="exr-title">
        <h1 id="exr-title">{t('title')}</h1>
        <p>{t('coordinatorIntro')}</p>
        <p className="hint">{t('intro')}</p>
      </section>
      <StartSection onStarted={() => void reload()} />
      <section className="panel" aria-labelledby="exr-runs">
        <h2 id="exr-runs">{t('runsHeading')}</h2>
        <AsyncView state={list} retry={retry}>
          {(data) => <RunsTable runs={data.exercises} coordinator empty={t('runsEmpty')} onStopped={onStopped} />}
        </AsyncView>
      </section>
    </div>
  );
}

function StartSection({ onStarted }: { onStarted: () => void }) {
  const t = useT('exercises');
  const [scenarios, retry] = useAsync((signal) => listScenarios(signal), []);
  return (
    <section className="panel" aria-labelledby="exr-start" data-testid="exercises-start">
      <h2 id="exr-start">{t('startHeading')}</h2>
      <p className="warning">{t('startNote')}</p>
      <AsyncView state={scenarios} retry={retry} isEmpty={(list) => list.length === 0} empty={<p className="empty">{t('scenariosEmpty')}</p>}>
        {(list) => <StartForm scenarios={list} onStarted={onStarted} />}
      </AsyncView>
    </section>
  );
}

function StartForm({ scenarios, onStarted }: { scenarios: ExerciseScenario[]; onStarted: () => void }) {
  const t = useT('exercises');
  const text = useText();
  const id = useId();
  const usable = scenarios.filter((scenario) => scenario.id && !scenario.error);
  const [chosen, setChosen] = useState(usable[0]?.id ?? '');
  const [speed, setSpeed] = useState<number>(60);
  const start = useAction(async (scenario: string, pace: number) => {
    const run = await startExercise({ scenario, speed: pace });
    onStarted();
    void refreshExerciseBanner();
    return run;
  });
  const selected = scenarios.find((scenario) => scenario.id === chosen);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (chosen) void start.run(chosen, speed);
  };
  return (
    <form className="form" onSubmit={submit} data-testid="exercises-start-form">
      <div className="form-grid">
        <div className="form-field">
          <label htmlFor={`${id}-scenario`}>{t('f.scenario')}</label>
          <select
            id={`${id}-scenario`}
            value={chosen}
            aria-describedby={`${id}-about`}
            onChange={(event) => setChosen(event.target.value)}
            data-testid="exercises-scenario"
          >
            {scenarios.map((scenario) => (
              <option key={scenario.file} value={scenario.id ?? ''} disabled={!scenario.id || !!scenario.error}>
                {scenario.title ? text(scenario.title) : scenario.file}
                {scenario.error ? ` (${t('scenarioBroken')})` : ''}
              </option>
            ))}
          </select>
        </div>
        <div className="form-field">
          <label htmlFor={`${id}-speed`}>{t('f.speed')}</label>
          <span className="form-help" id={`${id}-speed-help`}>
            {t('f.speedHelp')}
          </span>
          <select
            id={`${id}-speed`}
            value={speed}
            aria-describedby={`${id}-speed-help`}
            onChange={(event) => setSpeed(Number(event.target.value))}
            data-testid="exercises-speed"
          >
            {SPEEDS.map((value) => (
              <option key={value} value={value}>
                {t(`speed.${value}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div id={`${id}-about`} className="exr-scenario" data-testid="exercises-scenario-about">
        {selected ? (
          <>
            <p>{text(selected.description)}</p>
            <p className="hint">
              {t('scenarioFacts', {
                participants: selected.participants ?? 0,
                injects: selected.injects ?? 0,
                expected: selected.expected_actions ?? 0,
                length: selected.length ?? '',
              })}
            </p>
          </>
        ) : null}
      </div>
      <div className="form-actions">
        <button type="submit" disabled={start.pending || !chosen} data-testid="exercises-start-submit">
          {start.pending ? t('starting') : t('start')}
        </button>
      </div>
      <AsyncView
        state={start.state}
        loading={null}
        error={(error) => (
          <div className="error" role="alert">
            <p>{t('startRefused')}</p>
            <HubDetail message={error.serverMessage} always />
          </div>
        )}
      >
        {(run) => (
          <p role="status" className="form-ok" data-testid="exercises-started" data-id={run.id}>
            {t('started', { title: text(run.title) })}
          </p>
        )}
      </AsyncView>
    </form>
  );
}
