import { useI18n, useT } from '../../i18n';
import { DataTable, type Column } from '../../ui/DataTable';
import { exerciseHref, type ExerciseRun } from './api';
import { StateLabel, useText } from './common';
import { RunControls } from './RunControls';

const STATE_ORDER = ['running', 'stopped', 'finished'];

/** The runs, newest first: title (a link to the run), state, start, speed, delivered of all injects; a coordinator's also its controls. */
export function RunsTable({
  runs,
  coordinator,
  empty,
  onStopped,
}: {
  runs: readonly ExerciseRun[];
  coordinator: boolean;
  empty: string;
  onStopped?: (run: ExerciseRun) => void;
}) {
  const t = useT('exercises');
  const { formatNumber } = useI18n();
  const text = useText();
  const columns: Column<ExerciseRun>[] = [
    {
      id: 'title',
      header: t('col.title'),
      value: (run) => text(run.title),
      rowHeader: true,
      cell: (run) => (
        <a href={exerciseHref(run.id)} data-testid="exercises-open">
          {text(run.title)}
        </a>
      ),
    },
    {
      id: 'state',
      header: t('col.state'),
      value: (run) => STATE_ORDER.indexOf(run.state),
      cell: (run) => <StateLabel state={run.state} />,
    },
    { id: 'started', header: t('col.started'), value: (run) => run.started, format: 'datetime' },
    {
      id: 'speed',
      header: t('col.speed'),
      value: (run) => run.speed,
      numeric: true,
      cell: (run) => t('speedValue', { speed: formatNumber(run.speed) }),
    },
    {
      id: 'delivered',
      header: t('col.delivered'),
      value: (run) => run.delivered,
      numeric: true,
      cell: (run) => t('deliveredValue', { delivered: formatNumber(run.delivered), injects: formatNumber(run.injects) }),
    },
  ];
  if (coordinator) {
    columns.push({ id: 'participants', header: t('col.participants'), value: (run) => run.participants, format: 'number', numeric: true });
    columns.push({
      id: 'actions',
      header: t('col.actions'),
      sortable: false,
      cell: (run) => <RunControls run={run} onStopped={(stopped) => onStopped?.(stopped)} />,
    });
  }
  return (
    <DataTable
      rows={runs}
      rowKey={(run) => run.id}
      ariaLabel={t('runsHeading')}
      className="table member-table exr-runs"
      testId="exercises-runs"
      pageSize={25}
      empty={empty}
      initialSort={{ column: 'started', direction: 'descending' }}
      rowProps={(run) => ({ 'data-id': run.id, 'data-state': run.state, 'data-scenario': run.scenario })}
      columns={columns}
    />
  );
}
