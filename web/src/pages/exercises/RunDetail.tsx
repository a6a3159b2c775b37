import { useCallback, useEffect, useId, useState } from 'react';
import { useI18n, useT } from '../../i18n';
import { useSession } from '../../session';
import { AsyncView } from '../../ui/AsyncView';
import { DataTable } from '../../ui/DataTable';
import { HubDetail } from '../../ui/HubDetail';
import { useAction } from '../../ui/useAction';
import { useAsync } from '../../ui/useAsync';
import { useOrganisations } from '../../ui/useOrganisations';
import { ACTION_KINDS, exerciseHref, getExercise, recordAction, type ActionKind, type ExerciseRun } from './api';
import { OutcomeLabel, StateLabel, useText } from './common';
import { RunControls } from './RunControls';

const REFRESH_MS = 30_000;

/**
 * One run as the caller may see it: its facts, the expected actions with
 * outcome and deadline, the delivered injects and the recorded actions; a
 * participant's people record actions here, a coordinator stops the run and
 * opens its report. `level` 1 on the run's own page (#/exercises/<id>), 2
 * inside the member's list.
 */
export function RunDetail({ id, level }: { id: string; level: 1 | 2 }) {
  const t = useT('exercises');
  const { me } = useSession();
  const [state, retry, replace] = useAsync((signal) => getExercise(id, signal), [id]);
  const running = state.status === 'ok' && state.data.state === 'running';

  // A quiet reload (no "loading" in between): after an action, and every 30 s while the run runs.
  const reload = useCallback(async () => {
    try {
      replace(await getExercise(id));
    } catch {
      // The shown state stays; the next reload tries again.
    }
  }, [id, replace]);
  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(() => {
      if (!document.hidden) void reload();
    }, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [running, reload]);

  const unknown = state.status === 'error' && state.error.kind === 'not_found';
  return (
    <div className="exr-page" data-testid="exercise-run" data-id={id}>
      {level === 1 ? (
        <p>
          <a className="back" href={exerciseHref()}>
            ← {t('back')}
          </a>
        </p>
      ) : null}
      {unknown ? (
        <section className="panel">
          {level === 1 ? <h1>{t('title')}</h1> : null}
          <p className="warning" role="alert" data-testid="exercise-unknown">
            {t('unknownRun')}
          </p>
        </section>
      ) : (
        <AsyncView state={state} retry={retry}>
          {(run) => (
            <RunView
              run={run}
              level={level}
              coordinator={!!me?.coordinator}
              participant={!!me && !me.coordinator && me.role === 'member'}
              onChanged={(changed) => replace({ ...run, ...changed })}
              reload={reload}
            />
          )}
        </AsyncView>
      )}
    </div>
  );
}

function RunView({
  run,
  level,
  coordinator,
  participant,
  onChanged,
  reload,
}: {
  run: ExerciseRun;
  level: 1 | 2;
  coordinator: boolean;
  participant: boolean;
  onChanged: (run: ExerciseRun) => void;
  reload: () => Promise<void>;
}) {
  const t = useT('exercises');
  const { formatDate, formatNumber } = useI18n();
  const text = useText();
  const orgs = useOrganisations();
  const headingId = useId();
  const H = level === 1 ? 'h1' : 'h2';
  const Sub = level === 1 ? 'h2' : 'h3';
  const injects = run.delivered_injects ?? [];
  const expected = run.expected ?? [];
  const actions = run.actions ?? [];

  return (
    <>
      <section className="panel" aria-labelledby={headingId} data-state={run.state}>
        <H id={headingId} className={level === 2 ? 'exr-run-title' : undefined}>
          {text(run.title)}
        </H>
        <dl className="facts exr-facts" data-testid="exercise-facts">
          <div>
            <dt>{t('fact.state')}</dt>
            <dd>
              <StateLabel state={run.state} />
            </dd>
          </div>
          <div>
            <dt>{t('fact.started')}</dt>
            <dd>{formatDate(run.started)}</dd>
          </div>
          <div>
            <dt>{run.end ? t('fact.end') : t('fact.plannedEnd')}</dt>
            <dd>{formatDate(run.end ?? run.planned_end)}</dd>
          </div>
          <div>
            <dt>{t('fact.speed')}</dt>
            <dd>{t('speedValue', { speed: formatNumber(run.speed) })}</dd>
          </div>
          <div>
            <dt>{t('fact.delivered')}</dt>
            <dd data-testid="exercise-delivered">
              {t('deliveredValue', { delivered: formatNumber(run.delivered), injects: formatNumber(run.injects) })}
            </dd>
          </div>
          <div>
            <dt>{t('fact.length')}</dt>
            <dd>{run.length}</dd>
          </div>
          {coordinator ? (
            <div>
              <dt>{t('fact.participants')}</dt>
              <dd>{formatNumber(run.participants)}</dd>
            </div>
          ) : null}
        </dl>
        <div className="form-actions exr-run-actions">
          {level === 2 ? (
            <a href={exerciseHref(run.id)} aria-label={t('openOf', { title: text(run.title) })}>
              {t('open')}
            </a>
          ) : null}
          <button type="button" className="button-secondary" onClick={() => void reload()}>
            {t('refresh')}
          </button>
          {coordinator ? <RunControls run={run} onStopped={onChanged} /> : null}
        </div>
      </section>

      {participant ? <ActSection run={run} Sub={Sub} onRecorded={reload} /> : null}

      <section className="panel" aria-labelledby={`${headingId}-expected`}>
        <Sub id={`${headingId}-expected`}>{t('expectedHeading')}</Sub>
        {participant ? <p>{t('expectedIntro')}</p> : null}
        <DataTable
          rows={expected}
          rowKey={(item) => `${item.organisation}:${item.line}:${item.what}`}
          ariaLabel={t('expectedHeading')}
          className="table member-table"
          testId="exercise-expected"
          pageSize={coordinator ? 25 : undefined}
          empty={t('expectedEmpty')}
          rowProps={(item) => ({ 'data-what': item.what, 'data-outcome': item.outcome, 'data-org': item.organisation })}
          columns={[
            {
              id: 'what',
              header: t('col.what'),
              value: (item) => ACTION_KINDS.indexOf(item.what),
              rowHeader: true,
              cell: (item) => t(`what.${item.what}`),
            },
            ...(coordinator
              ? [{ id: 'org', header: t('col.organisation'), value: (item: (typeof expected)[number]) => orgs.nameOf(item.organisation) }]
              : []),
            {
              id: 'outcome',
              header: t('col.outcome'),
              value: (item) => item.outcome,
              cell: (item) => <OutcomeLabel outcome={item.outcome} />,
            },
            { id: 'within', header: t('col.within'), value: (item) => item.within },
            { id: 'due', header: t('col.due'), value: (item) => item.due, format: 'datetime' },
            { id: 'done', header: t('col.done'), value: (item) => item.done, format: 'datetime' },
          ]}
        />
      </section>

      <section className="panel" aria-labelledby={`${headingId}-injects`}>
        <Sub id={`${headingId}-injects`}>{t('injectsHeading')}</Sub>
        <DataTable
          rows={injects}
          rowKey={(inject) => `${inject.inject}.${inject.organisation}`}
          ariaLabel={t('injectsHeading')}
          className="table member-table"
          testId="exercise-injects"
          pageSize={25}
          empty={t('injectsEmpty')}
          initialSort={{ column: 'delivered', direction: 'descending' }}
          rowProps={(inject) => ({ 'data-kind': inject.kind, 'data-inject': inject.inject, 'data-org': inject.organisation })}
          columns={[
            { id: 'delivered', header: t('col.delivered_at'), value: (inject) => inject.delivered, format: 'datetime' },
            { id: 'at', header: t('col.at'), value: (inject) => inject.at },
            { id: 'kind', header: t('col.kind'), value: (inject) => t(`kind.${inject.kind}`) },
            { id: 'title', header: t('col.inject'), value: (inject) => text(inject.title), rowHeader: true },
            ...(coordinator
              ? [{ id: 'org', header: t('col.organisation'), value: (inject: (typeof injects)[number]) => orgs.nameOf(inject.organisation) }]
              : []),
          ]}
        />
      </section>

      <section className="panel" aria-labelledby={`${headingId}-actions`}>
        <Sub id={`${headingId}-actions`}>{t('actionsHeading')}</Sub>
        <DataTable
          rows={actions}
          rowKey={(action) => action.id ?? `${action.organisation}:${action.at}:${action.what}`}
          ariaLabel={t('actionsHeading')}
          className="table member-table"
          testId="exercise-actions"
          pageSize={25}
          empty={t('actionsEmpty')}
          initialSort={{ column: 'at', direction: 'descending' }}
          rowProps={(action) => ({ 'data-what': action.what, 'data-org': action.organisation })}
          columns={[
            { id: 'at', header: t('col.recorded'), value: (action) => action.at, format: 'datetime' },
            { id: 'scenario', header: t('col.scenarioTime'), value: (action) => action.scenario_time },
            {
              id: 'what',
              header: t('col.what'),
              value: (action) => t(`what.${action.what}`),
              rowHeader: true,
            },
            ...(coordinator
              ? [{ id: 'org', header: t('col.organisation'), value: (action: (typeof actions)[number]) => orgs.nameOf(action.organisation) }]
              : []),
            { id: 'by', header: t('col.by'), value: (action) => action.by },
            { id: 'note', header: t('col.note'), value: (action) => action.note ?? '' },
          ]}
        />
      </section>
    </>
  );
}

/** The participant's buttons: one per action kind, with an optional note; the hub takes the time. */
function ActSection({ run, Sub, onRecorded }: { run: ExerciseRun; Sub: 'h2' | 'h3'; onRecorded: () => Promise<void> }) {
  const t = useT('exercises');
  const { formatDate } = useI18n();
  const id = useId();
  const [note, setNote] = useState('');
  const record = useAction(async (what: ActionKind) => {
    const action = await recordAction(run.id, what, note.trim());
    setNote('');
    await onRecorded();
    return action;
  });
  return (
    <section className="panel exr-act" aria-labelledby={`${id}-heading`} data-testid="exercise-act">
      <Sub id={`${id}-heading`}>{t('actHeading')}</Sub>
      {run.state !== 'running' ? (
        <p className="form-help" data-testid="exercise-act-closed">
          {t('actClosed')}
        </p>
      ) : (
        <div className="form">
          <p>{t('actIntro')}</p>
          <div className="form-field">
            <label htmlFor={`${id}-note`}>{t('f.note')}</label>
            <span className="form-help" id={`${id}-note-help`}>
              {t('f.noteHelp')}
            </span>
            <textarea
              id={`${id}-note`}
              rows={2}
              maxLength={2000}
              value={note}
              aria-describedby={`${id}-note-help`}
              onChange={(event) => setNote(event.target.value)}
              data-testid="exercise-note"
            />
          </div>
          <div className="form-actions" role="group" aria-label={t('actHeading')}>
            {ACTION_KINDS.map((what) => (
              <button
                key={what}
                type="button"
                disabled={record.pending}
                onClick={() => void record.run(what)}
                data-testid={`exercise-do-${what}`}
              >
                {t(`do.${what}`)}
              </button>
            ))}
          </div>
        </div>
      )}
      <AsyncView
        state={record.state}
        loading={null}
        error={(error) => (
          <div className="error" role="alert">
            <p>{t('actionRefused')}</p>
            <HubDetail message={error.serverMessage} always />
          </div>
        )}
      >
        {(action) => (
          <p role="status" className="form-ok" data-testid="exercise-action-saved">
            {t('actionSaved', { what: t(`what.${action.what}`), at: formatDate(action.at) })}
          </p>
        )}
      </AsyncView>
    </section>
  );
}
