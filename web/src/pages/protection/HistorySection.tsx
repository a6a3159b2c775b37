import { useState } from 'react';
import { useI18n, useT } from '../../i18n';
import { AsyncView } from '../../ui/AsyncView';
import { ConfirmStep } from '../../ui/ConfirmStep';
import { useAction } from '../../ui/useAction';
import { useAsync } from '../../ui/useAsync';
import { getHistory, pinSerial, unpin, type HistoryChange, type HistorySerial } from './api';
import { useReasonLabel } from './common';

/** The feed's serials, newest first: what each added and withdrew and why; rollback to one of them. */
export function HistorySection({
  code,
  serial,
  canWrite,
  onChanged,
}: {
  code: string;
  /** The serial the page's feed report shows: a new one reloads the history. */
  serial: number;
  canWrite: boolean;
  onChanged: () => void;
}) {
  const t = useT('protection');
  const { lang } = useI18n();
  const [state, retry] = useAsync((signal) => getHistory(code, 10, signal), [code, serial]);
  const [rollbackOf, setRollbackOf] = useState<number | null>(null);
  const pin = useAction(async (serial: number, reason: string) => {
    const pinned = await pinSerial(code, serial, reason);
    setRollbackOf(null);
    onChanged();
    return pinned;
  });
  const release = useAction(async () => {
    await unpin(code);
    onChanged();
    return { pinned: null };
  });
  // The rollback controls only where the member may change its feed.
  return (
    <section className="panel" aria-labelledby="prot-history" data-testid="protection-history">
      <h2 id="prot-history">{t('historyHeading')}</h2>
      <p className="muted">{t('historyIntro')}</p>
      <AsyncView
        state={state}
        retry={retry}
        error={(error) => (error.kind === 'not_found' || error.status === 403 ? <p className="empty">{t('unavailable')}</p> : undefined)}
        isEmpty={(data) => data.history.length === 0}
        empty={<p className="empty">{t('historyEmpty')}</p>}
      >
        {(data) => (
          <>
            {canWrite && data.pinned !== null && data.pinned !== undefined ? (
              <div className="prot-actions">
                <button type="button" className="button-secondary" disabled={release.pending} onClick={() => void release.run()} data-testid="protection-unpin">
                  {t('unpin')}
                </button>
              </div>
            ) : null}
            <AsyncView state={release.state} loading={null}>
              {() => <p role="status">{t('unpinned')}</p>}
            </AsyncView>
            <AsyncView
              state={pin.state}
              loading={null}
              error={(error) => (
                <div className="error" role="alert">
                  <p>{error.status === 409 ? t('rollbackFrozen') : t('rollbackRefused')}</p>
                  {lang === 'en' && error.serverMessage ? <p className="error-detail">{error.serverMessage}</p> : null}
                </div>
              )}
            >
              {(done) => (
                <p role="status" data-testid="protection-rolled-back">
                  {t('rolledBack', { pinned: done.pinned, serial: done.serial })}
                </p>
              )}
            </AsyncView>
            <ol className="prot-history">
              {data.history.map((serial, idx) => (
                <li key={serial.serial}>
                  <SerialView serial={serial} open={idx === 0} current={serial.serial === data.serial} />
                  {canWrite && idx > 0 ? (
                    <ConfirmStep
                      open={rollbackOf === serial.serial}
                      label={t('rollback')}
                      text={t('serialN', { serial: serial.serial })}
                      confirmLabel={t('rollbackConfirm')}
                      reasonLabel={t('rollbackReason')}
                      pending={pin.pending}
                      onOpen={() => setRollbackOf(serial.serial)}
                      onCancel={() => setRollbackOf(null)}
                      onConfirm={(reason) => void pin.run(serial.serial, reason)}
                      testId={`rollback-${serial.serial}`}
                    />
                  ) : null}
                </li>
              ))}
            </ol>
          </>
        )}
      </AsyncView>
    </section>
  );
}

function SerialView({ serial, open, current }: { serial: HistorySerial; open: boolean; current: boolean }) {
  const t = useT('protection');
  const { formatDate, formatNumber } = useI18n();
  const changes: { change: HistoryChange; added: boolean }[] = [
    ...serial.added.map((change) => ({ change, added: true })),
    ...serial.withdrawn.map((change) => ({ change, added: false })),
  ];
  return (
    <details className="prot-serial" open={open} data-serial={serial.serial}>
      <summary>
        <strong>{t('serialN', { serial: serial.serial })}</strong>
        {current ? ` (${t('current')})` : ''}
        {serial.rollback_to !== null && serial.rollback_to !== undefined ? `, ${t('rollbackOf', { serial: serial.rollback_to })}` : ''} ·{' '}
        {formatDate(serial.at)} ·{' '}
        {t('serialCounts', { enforced: formatNumber(serial.enforced), monitored: formatNumber(serial.monitored) })}
      </summary>
      {changes.length === 0 ? (
        <p className="empty">{t('noChanges')}</p>
      ) : (
        <ChangeTable serial={serial.serial} changes={changes} />
      )}
    </details>
  );
}

function ChangeTable({ serial, changes }: { serial: number; changes: { change: HistoryChange; added: boolean }[] }) {
  const t = useT('protection');
  const label = useReasonLabel();
  return (
    <div className="table-wrap">
      <table className="table member-table" aria-label={t('serialN', { serial })}>
        <thead>
          <tr>
            <th scope="col">{t('col.value')}</th>
            <th scope="col">{t('added')} / {t('withdrawn')}</th>
            <th scope="col">{t('col.part')}</th>
            <th scope="col">{t('col.reason')}</th>
          </tr>
        </thead>
        <tbody>
          {changes.map(({ change, added }) => (
            <tr
              key={`${added ? '+' : '-'}${change.part}:${change.value}`}
              data-change={added ? 'added' : 'withdrawn'}
              data-value={change.value}
              data-reason={change.reason}
            >
              <th scope="row">
                <code className="prot-value">{change.value}</code>
              </th>
              <td>
                <span aria-hidden="true">{added ? '+ ' : '− '}</span>
                {added ? t('added') : t('withdrawn')}
              </td>
              <td>{t(`part.${change.part}`)}</td>
              <td>{added ? '' : label('reason', change.reason ?? '')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
