import { useCallback, useMemo, useState } from 'react';
import { ApiError, listAllOrganisations, openDocument } from '../../api';
import { useI18n, useT } from '../../i18n';
import { navigate } from '../../nav';
import { useSession } from '../../session';
import { AsyncView } from '../../ui/AsyncView';
import { DueDate } from '../../ui/DueDate';
import { SignInPrompt } from '../../ui/SignInPrompt';
import { DataTable } from '../../ui/DataTable';
import { DenmarkMap } from '../../ui/DenmarkMap';
import { useAction } from '../../ui/useAction';
import { useAsync } from '../../ui/useAsync';
import type { PageProps } from '../../nav';
import {
  getMemberBaseline,
  getNational,
  importXccdf,
  putRequirement,
  reportUrl,
  STATUSES,
  type MemberBaseline,
  type NationalPicture,
  type RequirementChange,
  type ReqStatus,
  type RequirementView,
  type Text,
} from './api';
import { NO_SCORE_COLOUR, SCORE_BANDS, scoreColour } from './scale';
import { HistoryChart } from './HistoryChart';
import { ScoreDistribution, type DistributionGroup } from '../../ui/charts/ScoreDistribution';
import './baseline.css';

interface MapCell {
  name: string;
  score: number | null;
  /** What the score is: "82.1" or "Region median 64.0". */
  label: string;
}

type T = ReturnType<typeof useT<'baseline'>>;

function useText() {
  const { lang } = useI18n();
  return (text: Text | null | undefined) => (text ? (lang === 'en' ? text.en : text.da) || text.da : '');
}

function Score({ value, testId }: { value: number | null | undefined; testId?: string }) {
  const { formatNumber } = useI18n();
  if (value === null || value === undefined) return <span className="bl-score bl-score-none">—</span>;
  return (
    <span className="bl-score" data-testid={testId} data-score={value.toFixed(2)}>
      <span className="swatch" style={{ background: scoreColour(value) }} aria-hidden="true" />
      {formatNumber(value, 1)}
    </span>
  );
}

export function BaselinePage({ rest, query }: PageProps) {
  const session = useSession();
  const t = useT('baseline');
  if (!session.token) {
    return <SignInPrompt title={t('title')} intro={t('intro')} link={t('signIn')} />;
  }
  if (rest[0]) return <MemberBaselinePage key={rest[0]} code={rest[0]} />;
  return <NationalPage initialDiscipline={query.get('discipline')} />;
}

// ---------------------------------------------------------------- national

function ScoreLegend({ t }: { t: T }) {
  return (
    <section className="panel legend" data-testid="baseline-legend">
      <h2>{t('legend')}</h2>
      <ul>
        {SCORE_BANDS.map((band) => (
          <li key={band.from}>
            <span className="swatch" style={{ background: band.colour }} aria-hidden="true" />
            <span className="legend-name">
              {band.from}–{band.to}
            </span>
          </li>
        ))}
        <li>
          <span className="swatch" style={{ background: NO_SCORE_COLOUR }} aria-hidden="true" />
          <span className="legend-name">{t('noData')}</span>
        </li>
      </ul>
    </section>
  );
}

function NationalPage({ initialDiscipline }: { initialDiscipline: string | null }) {
  const t = useT('baseline');
  const text = useText();
  const { formatNumber, kindLabel } = useI18n();
  const session = useSession();
  const [discipline, setDiscipline] = useState<string | null>(initialDiscipline);
  const [state, retry] = useAsync((signal) => getNational(discipline, signal), [discipline, session.token]);
  const [orgs] = useAsync((signal) => listAllOrganisations({ kind: 'municipality' }, signal), []);
  const onSelect = useCallback((code: string) => navigate(`#/baseline/${encodeURIComponent(code)}`), []);

  const picture: NationalPicture | null = state.status === 'ok' ? state.data : null;
  const coordinator = picture?.audience === 'coordinator';
  const disciplineIdx = picture && discipline ? picture.disciplines.findIndex((d) => d.id === discipline) : -1;
  const groupScore = useCallback(
    (group: NationalPicture['groups'][number] | undefined) => {
      if (!group || group.suppressed) return null;
      if (disciplineIdx >= 0) return group.discipline_median[disciplineIdx] ?? null;
      return group.overall?.median ?? null;
    },
    [disciplineIdx],
  );

  const cells = useMemo(() => {
    const map = new Map<string, MapCell>();
    if (!picture) return map;
    if (coordinator) {
      for (const row of picture.rows) {
        map.set(row.code, { name: row.name, score: row.score, label: row.score === null ? t('noData') : formatNumber(row.score, 1) });
      }
      return map;
    }
    // A member sees each municipality coloured by its region's median.
    if (orgs.status !== 'ok') return map;
    for (const org of orgs.data) {
      const group = picture.groups.find((g) => g.dimension === 'region' && g.key === org.region_code);
      const score = groupScore(group);
      map.set(org.code, {
        name: org.name,
        score,
        label: `${t('region')} ${t('median').toLowerCase()} ${score === null ? '—' : formatNumber(score, 1)}`,
      });
    }
    return map;
  }, [picture, coordinator, orgs, groupScore, t, formatNumber]);

  const areas = useMemo(
    () => new Map([...cells].map(([code, cell]) => [code, { name: cell.name, fill: scoreColour(cell.score), value: cell.label }])),
    [cells],
  );
  const shapeClass = useCallback(
    (code: string) => `bl-municipality bl-m-${code}${cells.get(code)?.score != null ? ' bl-scored' : ''}`,
    [cells],
  );

  const national = picture?.groups.find((g) => g.dimension === 'national');
  const histogram = national?.overall?.histogram ?? [];
  const maxBin = Math.max(1, ...histogram.map((n) => n ?? 0));

  return (
    <div className="bl-national" data-testid="baseline-national">
      <section className="panel map-panel">
        <div className="map-heading">
          <h1>{t('nationalTitle')}</h1>
          <label className="bl-select">
            {t('colourBy')}{' '}
            <select
              data-testid="baseline-discipline"
              value={discipline ?? ''}
              onChange={(e) => setDiscipline(e.target.value || null)}
            >
              <option value="">{t('overall')}</option>
              {(picture?.disciplines ?? []).map((d) => (
                <option key={d.id} value={d.id}>
                  {d.id} · {text(d.title)}
                </option>
              ))}
            </select>
          </label>
          <p className="hint">
            {coordinator ? t('mapCoordinatorNote') : t('mapMemberNote', { n: picture?.privacy.min_group_size ?? 5 })}
          </p>
        </div>
        <AsyncView state={state} retry={retry}>
          {() => (
            <DenmarkMap
              areas={areas}
              shapeClass={shapeClass}
              emptyFill={NO_SCORE_COLOUR}
              onSelect={coordinator ? onSelect : null}
              label={t('nationalTitle')}
              valueLabel={t('overall')}
              testId="baseline-map"
              className="bl-map"
            />
          )}
        </AsyncView>
      </section>
      <aside className="side">
        <ScoreLegend t={t} />
        {session.me ? (
          <section className="panel">
            <a href={`#/baseline/${encodeURIComponent(session.me.organisation.code)}`} data-testid="baseline-own">
              {t('ownBaseline')} ({session.me.organisation.name})
            </a>
          </section>
        ) : null}
        {national?.overall ? (
          <section className="panel" data-testid="baseline-distribution">
            <h2>{t('distribution')}</h2>
            <p className="hint">
              {t('members', { n: national.members })} · {t('median')} {formatNumber(national.overall.median, 1)} ·{' '}
              {t('mean')} {formatNumber(national.overall.mean, 1)}
            </p>
            <div className="bl-histogram">
              {histogram.map((n, i) => (
                <div key={i} className="bl-bin" title={`${i * 10}–${i * 10 + 10}: ${n ?? '1–4'}`}>
                  <span className="bl-bar" style={{ height: `${((n ?? 0) / maxBin) * 100}%`, background: scoreColour(i * 10 + 5) }} />
                  <span className="bl-bin-label">{n ?? '·'}</span>
                </div>
              ))}
            </div>
          </section>
        ) : null}
      </aside>
      {picture ? (
        <>
          <section className="panel bl-groups">
            <h2>{t('groups')}</h2>
            <DataTable
              rows={picture.groups.filter((g) => g.dimension !== 'kind' || g.members > 0)}
              rowKey={(g) => `${g.dimension}:${g.key}`}
              ariaLabel={t('groups')}
              bare
              columns={[
                {
                  id: 'group',
                  header: t('groups'),
                  cell: (g) => (
                    <>
                      {t(`dimension.${g.dimension}` as 'dimension.national')}
                      {g.dimension === 'national' ? '' : ': '}
                      {g.dimension === 'region' ? g.name ?? g.key : null}
                      {g.dimension === 'size_band' ? t(`band.${g.key}` as 'band.unknown') : null}
                      {g.dimension === 'kind' ? kindLabel(g.key) : null}
                    </>
                  ),
                },
                { id: 'members', header: t('membersHeader'), value: (g) => g.members, numeric: true },
                {
                  id: 'median',
                  header: t('median'),
                  value: (g) => groupScore(g),
                  cell: (g) => (g.suppressed ? t('suppressed', { n: picture.privacy.min_group_size }) : <Score value={groupScore(g)} />),
                },
              ]}
            />
            <p className="hint">
              {t('privacy')}: {t('privacyRule', { n: picture.privacy.min_group_size })}
            </p>
          </section>
          <section className="panel bl-unmet" data-testid="baseline-most-unmet">
            <h2>{t('mostUnmet')}</h2>
            <ol>
              {picture.most_unmet.map((u) => (
                <li key={u.id}>
                  <code>{u.id}</code> {text(u.title)} —{' '}
                  {u.not_met === null ? t('hiddenCount') : t('notMetBy', { n: u.not_met })}
                </li>
              ))}
            </ol>
          </section>
          {coordinator ? (
            <section className="panel bl-weakest" data-testid="baseline-weakest">
              <h2>{t('weakest')}</h2>
              <ol>
                {picture.weakest.map((row) => (
                  <li key={row.code}>
                    <a href={`#/baseline/${encodeURIComponent(row.code)}`}>
                      {row.name} ({row.code})
                    </a>{' '}
                    <Score value={row.score} />
                  </li>
                ))}
              </ol>
            </section>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

// ---------------------------------------------------------------- member

function Forbidden() {
  const t = useT('baseline');
  return (
    <section className="panel" data-testid="baseline-forbidden">
      <h1>{t('title')}</h1>
      <p className="error">{t('notAllowed')}</p>
      <p>
        <a href="#/baseline">{t('back')}</a>
      </p>
    </section>
  );
}

function MemberBaselinePage({ code }: { code: string }) {
  const t = useT('baseline');
  const session = useSession();
  const [state, retry, replace] = useAsync((signal) => getMemberBaseline(code, signal), [code, session.token]);
  const [notice, setNotice] = useState<string | null>(null);
  const [filter, setFilter] = useState('');

  // A write answers with the new version; a conflict (409) reloads the page and says why.
  const save = async (requirement: string, change: RequirementChange, version: number) => {
    try {
      const next = await putRequirement(code, requirement, change, version);
      replace(next);
      setNotice(null);
      return next;
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        setNotice(t('conflict'));
        retry();
      }
      throw err;
    }
  };
  const upload = async (file: File) => {
    const next = await importXccdf(code, await file.text());
    replace(next);
    setNotice(t('xccdfDone', { rules: next.import.rule_results, requirements: next.import.requirements.length }));
    return next;
  };

  return (
    <AsyncView state={state} retry={retry} error={(error) => (error.status === 403 ? <Forbidden /> : undefined)}>
      {(view) => (
        <MemberBaselineView
          view={view}
          notice={notice}
          filter={filter}
          onFilter={setFilter}
          onSave={(requirement, change) => save(requirement, change, view.version)}
          onUpload={upload}
        />
      )}
    </AsyncView>
  );
}

function MemberBaselineView({
  view,
  notice,
  filter,
  onFilter,
  onSave,
  onUpload,
}: {
  view: MemberBaseline;
  notice: string | null;
  filter: string;
  onFilter: (discipline: string) => void;
  onSave: (requirement: string, change: RequirementChange) => Promise<MemberBaseline>;
  onUpload: (file: File) => Promise<MemberBaseline>;
}) {
  const t = useT('baseline');
  const text = useText();
  const { formatNumber, formatDate, plural } = useI18n();
  const session = useSession();
  const code = view.member.code;
  const report = useAction(() => openDocument(reportUrl(code)));
  const xccdf = useAction(onUpload);

  const me = session.me;
  const canEdit = !!me && me.organisation.code === code && (me.role === 'member' || me.role === 'admin');
  const disciplines = view.disciplines;
  const comparison = [
    { id: 'own', label: t('own'), score: view.comparison.own },
    { id: 'national', label: t('national'), score: view.comparison.national_median },
    { id: 'region', label: t('region'), score: view.comparison.region_median },
    {
      id: 'size_band',
      label: `${t('sizeBand')} (${t(`band.${view.comparison.size_band}` as 'band.unknown')})`,
      score: view.comparison.size_band_median,
    },
  ];
  const scoreColumn = (id: string, header: string, score: (d: (typeof disciplines)[number]) => number | null) => ({
    id,
    header,
    value: score,
    cell: (d: (typeof disciplines)[number]) => <Score value={score(d)} />,
  });

  return (
    <div className="bl-member" data-testid="baseline-member" data-version={view.version}>
      <p>
        <a href="#/baseline">{t('back')}</a>
      </p>
      <section className="panel bl-head">
        <div>
          <h1>
            {view.member.name} <span className="hint">({view.member.code})</span>
          </h1>
          <p className="hint">
            {view.assessed_at ? t('assessedAt', { date: formatDate(view.assessed_at, 'date') }) : null} · {t('version', { n: view.version })} ·{' '}
            {t('assessedShare', { pct: formatNumber(view.score.assessed_share * 100, 0) })} ·{' '}
            {t('measuredSummary', { measured: view.score.basis.measured, declared: view.score.basis.declared })}
          </p>
          <p className="hint">
            {t('facts', {
              sensors: plural(view.facts.sensors, { one: t('sensor.one'), other: t('sensor.other') }),
              sightings: plural(view.facts.sightings_published, { one: t('sighting.one'), other: t('sighting.other') }),
            })}
          </p>
          {view.synthetic ? <p className="bl-synthetic">{t('synthetic')}</p> : null}
          {!canEdit ? <p className="bl-readonly" data-testid="baseline-readonly">{t('readOnly')}</p> : null}
          {notice ? (
            <p className="bl-notice" role="status" data-testid="baseline-notice">
              {notice}
            </p>
          ) : null}
        </div>
        <div className="bl-big">
          <div className="hint">{t('overall')}</div>
          <Score value={view.score.overall} testId="baseline-overall" />
          <button type="button" className="bl-report" disabled={report.pending} onClick={() => void report.run()}>
            {t('report')}
          </button>
          <AsyncView state={report.state} loading={null}>
            {() => null}
          </AsyncView>
          {canEdit ? (
            <label className="bl-upload">
              {t('xccdf')}
              <input
                type="file"
                accept=".xml,application/xml,text/xml"
                data-testid="xccdf-file"
                disabled={xccdf.pending}
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  e.target.value = '';
                  if (file) void xccdf.run(file);
                }}
              />
            </label>
          ) : null}
          <AsyncView state={xccdf.state}>{() => null}</AsyncView>
        </div>
      </section>

      <div className="bl-grid2">
        <section className="panel" data-testid="baseline-comparison">
          <h2>{t('comparison')}</h2>
          <DataTable
            rows={comparison}
            rowKey={(row) => row.id}
            ariaLabel={t('comparison')}
            bare
            columns={[
              { id: 'label', header: t('comparison'), rowHeader: true, cell: (row) => row.label },
              { id: 'score', header: t('score'), cell: (row) => <Score value={row.score} /> },
            ]}
          />
        </section>
        <section className="panel">
          <h2>{t('history')}</h2>
          <HistoryChart points={view.history} label={t('history')} />
        </section>
      </div>

      <PeerDistribution view={view} />

      <section className="panel">
        <h2>{t('disciplines')}</h2>
        <DataTable
          rows={disciplines}
          rowKey={(d) => d.id}
          className="table bl-disciplines"
          testId="baseline-disciplines"
          ariaLabel={t('disciplines')}
          rowProps={(d) => ({ 'data-discipline': d.id })}
          columns={[
            {
              id: 'discipline',
              header: t('discipline'),
              value: (d) => d.id,
              cell: (d) => (
                <button type="button" className="linkish" onClick={() => onFilter(d.id)}>
                  {d.id} · {text(d.title)}
                </button>
              ),
            },
            scoreColumn('score', t('score'), (d) => d.score),
            scoreColumn('national', t('national'), (d) => d.national_median),
            scoreColumn('region', t('region'), (d) => d.region_median),
            scoreColumn('sizeBand', t('sizeBand'), (d) => d.size_band_median),
          ]}
        />
        <p className="hint">
          {t('nis2')}:{' '}
          {view.nis2.map((n) => (
            <span key={n.letter} className="bl-nis2" title={n.summary}>
              ({n.letter}) {n.coverage === null ? '—' : formatNumber(n.coverage, 0)}{' '}
            </span>
          ))}
        </p>
      </section>

      <section className="panel" data-testid="baseline-gaps">
        <h2>{t('gaps')}</h2>
        <ol>
          {view.gaps.slice(0, 10).map((g) => (
            <li key={g.id}>
              <code>{g.id}</code> {text(g.title)} — {t(`status.${g.status}` as 'status.met')}, {t('priority').toLowerCase()}{' '}
              {formatNumber(g.priority, 2)}
              {g.owner ? ` · ${t('owner').toLowerCase()} ${g.owner}` : ''}
              {g.due ? (
                <>
                  {` · ${t('due').toLowerCase()} `}
                  <DueDate at={g.due} done={g.status === 'met'} />
                </>
              ) : null}
            </li>
          ))}
        </ol>
      </section>

      <section className="panel">
        <div className="bl-req-head">
          <h2>{t('requirements')}</h2>
          <label className="bl-select">
            {t('filter')}{' '}
            <select value={filter} onChange={(e) => onFilter(e.target.value)}>
              <option value="">{t('all')}</option>
              {disciplines.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.id} · {text(d.title)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <DataTable
          rows={view.requirements}
          rowKey={(r) => r.id}
          filter={filter ? (r) => r.discipline === filter : undefined}
          className="table bl-requirements"
          testId="baseline-requirements"
          ariaLabel={t('requirements')}
          renderRow={(r) => (
            <RequirementRow key={`${r.id}@${view.version}`} requirement={r} canEdit={canEdit} onSave={onSave} t={t} />
          )}
          columns={[
            { id: 'requirement', header: t('requirement'), value: (r) => r.id },
            { id: 'status', header: t('status'), value: (r) => r.effective_status },
            { id: 'maturity', header: t('maturity'), value: (r) => r.maturity },
            { id: 'owner', header: t('owner'), value: (r) => r.owner },
            { id: 'due', header: t('due'), value: (r) => r.due },
            { id: 'evidence', header: t('evidence') },
          ]}
        />
      </section>
    </div>
  );
}

/**
 * The member's overall score among the comparison groups of its own table
 * (all of Denmark, its region, its size band), from the national picture the
 * hub gives this caller: only groups the hub publishes are drawn; a
 * suppressed group is named as withheld, never drawn, and no other member's
 * score is ever shown (the hub sends members only counts per band and quartiles).
 */
function PeerDistribution({ view }: { view: MemberBaseline }) {
  const t = useT('baseline');
  const session = useSession();
  const [state] = useAsync((signal) => getNational(null, signal), [session.token]);
  if (state.status !== 'ok') return null;
  const picture = state.data;
  const wanted = [
    { dimension: 'national', key: 'all', label: t('dimension.national') },
    { dimension: 'region', key: view.member.region_code ?? '', label: '' },
    {
      dimension: 'size_band',
      key: view.member.size_band,
      label: `${t('sizeBand')} (${t(`band.${view.member.size_band}` as 'band.unknown')})`,
    },
  ];
  const groups: DistributionGroup[] = [];
  const withheld: string[] = [];
  for (const want of wanted) {
    const group = picture.groups.find((g) => g.dimension === want.dimension && (want.dimension === 'national' || g.key === want.key));
    if (!group) continue;
    const label = want.label || `${t('region')}: ${group.name ?? group.key}`;
    const overall = group.overall;
    if (group.suppressed || !overall) {
      withheld.push(label);
      continue;
    }
    groups.push({
      id: want.dimension,
      label,
      members: group.members,
      p25: overall.p25,
      median: overall.median,
      p75: overall.p75,
      histogram: overall.histogram,
    });
  }
  if (groups.length === 0 && withheld.length === 0) return null;
  return (
    <section className="panel" data-testid="baseline-peers">
      <h2>{t('peers')}</h2>
      <ScoreDistribution
        groups={groups}
        withheld={withheld}
        minGroupSize={picture.privacy.min_group_size}
        own={{ name: view.member.name, score: view.score.overall }}
        testId="baseline-peer-chart"
      />
    </section>
  );
}

function RequirementRow({
  requirement: r,
  canEdit,
  onSave,
  t,
}: {
  requirement: RequirementView;
  canEdit: boolean;
  onSave: (id: string, change: RequirementChange) => Promise<MemberBaseline>;
  t: T;
}) {
  const text = useText();
  const { codeLabel, formatDate } = useI18n();
  const [status, setStatus] = useState<ReqStatus>(r.status);
  const [maturity, setMaturity] = useState<string>(r.maturity === null ? '' : String(r.maturity));
  const [owner, setOwner] = useState(r.owner);
  const [due, setDue] = useState(r.due ?? '');
  const save = useAction((change: RequirementChange) => onSave(r.id, change));
  // Each control names its column and the row's requirement.
  const labelFor = (field: 'status' | 'maturity' | 'owner' | 'due') =>
    t('fieldOfRequirement', { field: t(field), requirement: `${r.id} ${text(r.title)}` });
  const dirty =
    status !== r.status || maturity !== (r.maturity === null ? '' : String(r.maturity)) || owner !== r.owner || due !== (r.due ?? '');

  const submit = () => {
    const change: RequirementChange = {};
    if (status !== r.status) change.status = status;
    if (maturity !== (r.maturity === null ? '' : String(r.maturity))) change.maturity = maturity === '' ? null : Number(maturity);
    if (owner !== r.owner) change.owner = owner === '' ? null : owner;
    if (due !== (r.due ?? '')) change.due = due === '' ? null : due;
    void save.run(change);
  };
  return (
    <tr data-req={r.id} data-status={r.status} data-effective={r.effective_status} data-basis={r.basis} data-measured={r.has_current_measurement}>
      <td>
        <code>{r.id}</code> {text(r.title)}
        <div className="hint">{text(r.statement)}</div>
      </td>
      <td>
        {canEdit ? (
          <select data-testid="status-select" aria-label={labelFor('status')} value={status} onChange={(e) => setStatus(e.target.value as ReqStatus)}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}` as 'status.met')}
              </option>
            ))}
          </select>
        ) : (
          <span className={`bl-status bl-status-${r.status}`}>{t(`status.${r.status}` as 'status.met')}</span>
        )}
        {r.has_current_measurement && r.basis === 'declared' ? <div className="hint">{t('confirmed')}</div> : null}
        {r.effective_status !== r.status || r.basis !== 'declared' ? (
          <div className="hint">
            {t('effective')}: {t(`status.${r.effective_status}` as 'status.met')} ({t(`basis.${r.basis}` as 'basis.none')})
          </div>
        ) : null}
      </td>
      <td>
        {canEdit ? (
          <select data-testid="maturity-select" aria-label={labelFor('maturity')} value={maturity} onChange={(e) => setMaturity(e.target.value)}>
            <option value="">—</option>
            {[1, 2, 3, 4, 5].map((m) => (
              <option key={m} value={String(m)}>
                {m}
              </option>
            ))}
          </select>
        ) : (
          (r.maturity ?? '—')
        )}
      </td>
      <td>
        {canEdit ? (
          <input data-testid="owner-input" aria-label={labelFor('owner')} value={owner} maxLength={200} onChange={(e) => setOwner(e.target.value)} />
        ) : (
          r.owner || '—'
        )}
      </td>
      <td>
        {canEdit ? (
          <input data-testid="due-input" aria-label={labelFor('due')} type="date" value={due} onChange={(e) => setDue(e.target.value)} />
        ) : (
          <DueDate at={r.due} done={r.effective_status === 'met' || r.effective_status === 'not_applicable'} />
        )}
        {canEdit && dirty ? (
          <div>
            <button type="button" data-testid="save-req" disabled={save.pending} onClick={submit}>
              {save.pending ? t('saving') : t('save')}
            </button>
          </div>
        ) : null}
        <AsyncView state={save.state} loading={null}>
          {() => null}
        </AsyncView>
      </td>
      <td>
        <ul className="bl-evidence">
          {r.evidence.map((e, i) => (
            <li key={i} className={`bl-ev bl-ev-${e.kind}${e.current ? '' : ' bl-ev-old'}`} data-kind={e.kind} data-live={e.live}>
              <strong>{e.kind === 'measured' ? t('measured') : t('declared')}</strong>
              {e.result ? ` (${codeLabel('baseline.result', e.result)})` : ''}: <code>{e.source}</code> ·{' '}
              {t('collected', { date: formatDate(e.collected, 'date') })}
              {e.valid_until ? ` · ${t('validUntil', { date: formatDate(e.valid_until, 'date') })}` : ''}
              {!e.current ? ` · ${t('expired')}` : ''}
              {e.live ? ` · ${t('live')}` : ''}
            </li>
          ))}
        </ul>
      </td>
    </tr>
  );
}
