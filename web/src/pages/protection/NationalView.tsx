import { useState, type FormEvent } from 'react';
import { useI18n, useT } from '../../i18n';
import { AsyncView } from '../../ui/AsyncView';
import { ConfirmStep } from '../../ui/ConfirmStep';
import { DataTable } from '../../ui/DataTable';
import { useAction } from '../../ui/useAction';
import { useAsync } from '../../ui/useAsync';
import {
  getFreeze,
  getNational,
  getNeverBlock,
  putFreeze,
  putNeverBlock,
  type Freeze,
  type MemberState,
  type National,
  type NationalMember,
  type NeverBlock,
} from './api';

const STATES: readonly MemberState[] = ['enforcing', 'monitoring', 'not_connected'];
const STATE_MARK: Record<MemberState, string> = { enforcing: '⊘', monitoring: '◐', not_connected: '○' };

/** The coordinator's page: members enforcing, monitoring, not connected; blocks; freeze; never-block. */
export function NationalView() {
  const t = useT('protection');
  const [national, retry] = useAsync((signal) => getNational(signal), []);
  return (
    <div className="prot-page" data-testid="protection-national">
      <section className="panel" aria-labelledby="prot-national">
        <h1 id="prot-national">{t('nationalHeading')}</h1>
        <p className="muted">{t('nationalIntro')}</p>
        <AsyncView
          state={national}
          retry={retry}
          error={(error) => (error.kind === 'not_found' ? <p className="empty">{t('unavailable')}</p> : undefined)}
        >
          {(data) => <NationalTables data={data} />}
        </AsyncView>
      </section>
      <FreezePanel />
      <NeverBlockPanel />
    </div>
  );
}

function NationalTables({ data }: { data: National }) {
  const t = useT('protection');
  const { formatNumber, formatDate } = useI18n();
  const [q, setQ] = useState('');
  const [state, setState] = useState('');
  const needle = q.trim().toLowerCase();
  const totals = data.totals;
  // Block counts come back from the members' sensors; a hub without them sends none.
  const withBlocks = totals.blocks !== undefined || data.members.some((member) => member.blocks !== undefined);
  return (
    <>
      {data.frozen ? (
        <p className="prot-warning" role="status" data-testid="national-frozen">
          {t('frozenNational')}
        </p>
      ) : null}
      <dl className="facts prot-facts" data-testid="protection-totals">
        {(['members', 'enforcing', 'monitoring', 'not_connected', 'blocks', 'blocking_members', 'indicators_blocked'] as const)
          .filter((key) => totals[key] !== undefined)
          .map((key) => (
            <div key={key} data-total={key}>
              <dt>{t(`total.${key}`)}</dt>
              <dd>{formatNumber(totals[key] ?? 0)}</dd>
            </div>
          ))}
      </dl>
      <p className="muted">{t('generated', { at: formatDate(data.generated) })}</p>
      <div className="filters">
        <label className="field field--grow">
          {t('nationalSearch')}
          <input type="search" value={q} onChange={(event) => setQ(event.target.value)} data-testid="national-search" />
        </label>
        <label className="field">
          {t('stateFilter')}
          <select value={state} onChange={(event) => setState(event.target.value)} data-testid="national-state">
            <option value="">{t('all')}</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {t(`state.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <DataTable
        rows={data.members}
        rowKey={(member) => member.organisation}
        testId="national-members"
        ariaLabel={t('nationalHeading')}
        className="table member-table"
        pageSize={25}
        initialSort={{ column: 'blocks', direction: 'descending' }}
        filter={(member) =>
          (state === '' || member.state === state) &&
          (needle === '' || member.name.toLowerCase().includes(needle) || member.organisation.toLowerCase().includes(needle))
        }
        rowProps={(member) => ({ 'data-code': member.organisation, 'data-state': member.state })}
        columns={[
          {
            id: 'member',
            header: t('col.member'),
            value: (member) => member.name,
            rowHeader: true,
            cell: (member) => <a href={`#/protection/${encodeURIComponent(member.organisation)}`}>{member.name}</a>,
          },
          {
            id: 'state',
            header: t('col.state'),
            value: (member) => STATES.indexOf(member.state),
            cell: (member) => (
              <span className={`prot-state prot-state-${member.state}`}>
                <span aria-hidden="true">{STATE_MARK[member.state] ?? ''} </span>
                {t(`state.${member.state}`)}
              </span>
            ),
          },
          { id: 'serial', header: t('col.serial'), value: (member) => member.serial, numeric: true },
          {
            id: 'last_change',
            header: t('col.lastChange'),
            value: (member) => member.last_change ?? '',
            cell: (member) => (member.last_change ? formatDate(member.last_change) : t('never')),
          },
          { id: 'enforced', header: t('col.enforced'), value: (member) => member.enforced, format: 'number', numeric: true },
          { id: 'monitored', header: t('col.monitored'), value: (member) => member.monitored, format: 'number', numeric: true },
          ...(withBlocks
            ? [{ id: 'blocks', header: t('col.blocks'), value: (member: NationalMember) => member.blocks ?? 0, format: 'number' as const, numeric: true }]
            : []),
        ]}
      />
    </>
  );
}

function FreezePanel() {
  const t = useT('protection');
  const { formatDate } = useI18n();
  const [freeze, retry, replace] = useAsync((signal) => getFreeze(signal), []);
  const [confirming, setConfirming] = useState(false);
  const change = useAction(async (frozen: boolean, reason: string): Promise<Freeze> => {
    const now = await putFreeze(frozen, reason);
    replace(now);
    setConfirming(false);
    return now;
  });
  return (
    <section className="panel" aria-labelledby="prot-freeze" data-testid="protection-freeze">
      <h2 id="prot-freeze">{t('freezeHeading')}</h2>
      <p className="muted">{t('freezeIntro')}</p>
      <AsyncView
        state={freeze}
        retry={retry}
        error={(error) => (error.kind === 'not_found' ? <p className="empty">{t('unavailable')}</p> : undefined)}
      >
        {(data) => (
          <>
            <p className={data.frozen ? 'prot-warning' : ''} data-testid="freeze-state" data-frozen={data.frozen}>
                            {data.frozen
                ? t('freezeOn', { at: formatDate(data.at), by: data.by || '—', reason: data.reason || '—' })
                : t('freezeOff')}
            </p>
            <ConfirmStep
              open={confirming}
              label={data.frozen ? t('unfreeze') : t('freeze')}
              text={data.frozen ? t('unfreezeConfirmText') : t('freezeConfirmText')}
              confirmLabel={data.frozen ? t('unfreezeConfirm') : t('freezeConfirm')}
              reasonLabel={t('freezeReason')}
              reasonHelp={t('freezeReasonHelp')}
              pending={change.pending}
              danger={!data.frozen}
              onOpen={() => {
                change.reset();
                setConfirming(true);
              }}
              onCancel={() => setConfirming(false)}
              onConfirm={(reason) => void change.run(!data.frozen, reason)}
              testId="freeze"
            />
          </>
        )}
      </AsyncView>
      <AsyncView state={change.state} loading={null}>
        {(now) => <p role="status">{now.frozen ? t('frozenDone') : t('unfrozenDone')}</p>}
      </AsyncView>
    </section>
  );
}

function NeverBlockPanel() {
  const t = useT('protection');
  const [list, retry] = useAsync((signal) => getNeverBlock(signal), []);
  return (
    <section className="panel" aria-labelledby="prot-never" data-testid="protection-never-block">
      <h2 id="prot-never">{t('neverHeading')}</h2>
      <p className="muted">{t('neverIntro')}</p>
      <AsyncView
        state={list}
        retry={retry}
        error={(error) => (error.kind === 'not_found' ? <p className="empty">{t('unavailable')}</p> : undefined)}
      >
        {(data) => <NeverBlockForm list={data} />}
      </AsyncView>
    </section>
  );
}

function NeverBlockForm({ list }: { list: NeverBlock }) {
  const t = useT('protection');
  const { lang } = useI18n();
  const [domains, setDomains] = useState(list.domains.join('\n'));
  const [networks, setNetworks] = useState(list.networks.join('\n'));
  const save = useAction((d: string[], n: string[]) => putNeverBlock(d, n));
  const lines = (text: string) =>
    text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save.run(lines(domains), lines(networks));
  };
  return (
    <form className="prot-form" onSubmit={submit}>
      {list.builtin.domains.length + list.builtin.networks.length > 0 ? (
        <details className="prot-details">
          <summary>
            {t('neverBuiltin')} ({list.builtin.domains.length + list.builtin.networks.length})
          </summary>
          <ul className="prot-inline-list prot-builtin" data-testid="never-builtin">
            {[...list.builtin.domains, ...list.builtin.networks].map((value) => (
              <li key={value}>
                <code>{value}</code>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <div className="prot-grid">
        <div className="prot-field">
          <label htmlFor="prot-never-domains">{t('neverDomains')}</label>
          <textarea
            id="prot-never-domains"
            rows={6}
            value={domains}
            spellCheck={false}
            onChange={(event) => setDomains(event.target.value)}
            data-testid="never-domains"
          />
        </div>
        <div className="prot-field">
          <label htmlFor="prot-never-networks">{t('neverNetworks')}</label>
          <textarea
            id="prot-never-networks"
            rows={6}
            value={networks}
            spellCheck={false}
            onChange={(event) => setNetworks(event.target.value)}
            data-testid="never-networks"
          />
        </div>
      </div>
      <div className="prot-actions">
        <button type="submit" disabled={save.pending} data-testid="never-save">
          {t('neverSave')}
        </button>
      </div>
      <AsyncView
        state={save.state}
        loading={null}
        error={(error) => (
          <div className="error" role="alert">
            <p>{t('neverRefused')}</p>
            {lang === 'en' && error.serverMessage ? <p className="error-detail">{error.serverMessage}</p> : null}
          </div>
        )}
      >
        {() => (
          <p role="status" className="prot-ok">
            {t('neverSaved')}
          </p>
        )}
      </AsyncView>
    </form>
  );
}
