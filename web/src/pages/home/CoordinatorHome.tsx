/** The coordinator's home: who is under attack now (map and list), campaigns, national deadlines, blind spots, risk. */
import { useMemo } from 'react';
import { listAllOrganisations } from '../../api';
import { useI18n, useT } from '../../i18n';
import { memberHref } from '../../nav';
import { AsyncView } from '../../ui/AsyncView';
import { DataTable } from '../../ui/DataTable';
import { DenmarkMap, type MapArea } from '../../ui/DenmarkMap';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { useAsync } from '../../ui/useAsync';
import { getTimeline, listCampaigns, type Timeline } from '../incidents/api';
import { getBlindSpots } from '../notices/api';
import { getNational as getProtectionNational } from '../protection/api';
import { getCoverage } from '../register/api';
import { Section, useCount, useDay } from './common';
import { DeadlinesSection } from './MemberSections';
import { indicatorHref, recentlySighted } from './sightings';
import type { IndicatorDetail } from '../indicators/api';

/** Sightings this recent count as "now". */
const LIVE_MS = 24 * 3600 * 1000;

type AttackState = 'both' | 'incident' | 'sighting';

// Okabe–Ito colours (colour-blind safe); every state is also said in words in the tooltip, legend and list.
const ATTACK_FILL: Record<AttackState | 'none', string> = {
  both: '#D55E00',
  incident: '#E69F00',
  sighting: '#56B4E9',
  none: '#E8E8E8',
};

interface UnderAttack {
  code: string;
  name: string;
  incidents: Timeline['items'];
  sightings: number;
  lastSeen: string | null;
  indicator: string | null;
  state: AttackState;
}

function underAttack(timeline: Timeline, indicators: readonly IndicatorDetail[], now: number): UnderAttack[] {
  const rows = new Map<string, UnderAttack>();
  const row = (code: string, name: string) => {
    const found = rows.get(code) ?? { code, name, incidents: [], sightings: 0, lastSeen: null, indicator: null, state: 'incident' };
    rows.set(code, found);
    return found;
  };
  for (const item of timeline.items) row(item.org.code, item.org.name).incidents.push(item);
  for (const indicator of indicators) {
    for (const sighting of indicator.sightings.visible) {
      const seen = sighting.last_seen ?? sighting.first_seen;
      if (!sighting.organisation || !seen || now - Date.parse(seen) > LIVE_MS) continue;
      const entry = row(sighting.organisation.code, sighting.organisation.name);
      entry.sightings += sighting.count;
      if (!entry.lastSeen || seen > entry.lastSeen) {
        entry.lastSeen = seen;
        entry.indicator = indicator.id;
      }
    }
  }
  for (const entry of rows.values()) {
    entry.state = entry.incidents.length > 0 ? (entry.sightings > 0 ? 'both' : 'incident') : 'sighting';
  }
  return [...rows.values()];
}

function AttackSection() {
  const t = useT('home');
  const { formatDate, t: core } = useI18n();
  const count = useCount();
  const [state, retry] = useAsync(
    (signal) =>
      Promise.all([
        getTimeline(signal),
        recentlySighted(signal),
        listAllOrganisations({ kind: 'municipality' }, signal),
        Promise.resolve(Date.now()),
      ]),
    [],
  );
  const data = useMemo(() => {
    if (state.status !== 'ok') return null;
    const [timeline, indicators, municipalities, fetched] = state.data;
    const rows = underAttack(timeline, indicators, fetched);
    const byCode = new Map(rows.map((entry) => [entry.code, entry]));
    const describe = (entry: UnderAttack | undefined) =>
      entry
        ? [
            t(`attack.${entry.state}`),
            entry.incidents.length ? count('incidents', entry.incidents.length) : '',
            entry.sightings ? count('observations', entry.sightings) : '',
          ]
            .filter(Boolean)
            .join(' · ')
        : t('attack.none');
    const areas = new Map<string, MapArea>(
      municipalities.map((org) => {
        const entry = byCode.get(org.code);
        return [org.code, { name: org.name, fill: ATTACK_FILL[entry?.state ?? 'none'], value: describe(entry) }];
      }),
    );
    const municipal = new Set(municipalities.map((org) => org.code));
    return { rows, areas, fetched, offMap: rows.some((entry) => !municipal.has(entry.code)) };
  }, [state, t, count]);
  const shapeClass = useMemo(
    () => (code: string) => {
      const entry = data?.rows.find((row) => row.code === code);
      return `dk-municipality dk-m-${code} home-attack-${entry?.state ?? 'none'}`;
    },
    [data],
  );
  const legend: (AttackState | 'none')[] = ['both', 'incident', 'sighting', 'none'];
  return (
    <Section id="attack" title={t('attackHeading')}>
      <p className="hint">{t('attackIntro')}</p>
      {state.status === 'error' ? <ErrorMessage error={state.error} onRetry={retry} /> : null}
      {state.status === 'loading' ? <AsyncView state={state}>{() => null}</AsyncView> : null}
      {data ? (
        <>
          <p className="home-meta">
            {t('fetchedAt', { time: formatDate(new Date(data.fetched).toISOString()) })}{' '}
            <button type="button" onClick={retry}>
              {t('refresh')}
            </button>
          </p>
          <div className="home-attack">
            <div className="home-attack-map">
              <DenmarkMap
                areas={data.areas}
                shapeClass={shapeClass}
                emptyFill={ATTACK_FILL.none}
                onSelect={null}
                label={t('attackMapLabel')}
                valueLabel={t('attackValue')}
                testId="home-attack-map"
              />
            </div>
            <div>
              <h3>{t('attackLegend')}</h3>
              <ul className="home-legend" data-testid="home-attack-legend">
                {legend.map((key) => (
                  <li key={key} data-state={key}>
                    <span className="swatch" style={{ background: ATTACK_FILL[key] }} aria-hidden="true" />
                    {t(`attack.${key}`)}
                    {key !== 'none' ? ` (${count('members', data.rows.filter((row) => row.state === key).length)})` : ''}
                  </li>
                ))}
              </ul>
              {data.offMap ? <p className="hint">{t('attackNotOnMap')}</p> : null}
            </div>
          </div>
          <DataTable
            rows={data.rows}
            rowKey={(row) => row.code}
            caption={t('attackCaption')}
            className="member-table"
            testId="home-attack-list"
            empty={t('attackNone')}
            initialSort={{ column: 'incidents', direction: 'descending' }}
            rowProps={(row) => ({ 'data-code': row.code, 'data-state': row.state })}
            columns={[
              {
                id: 'member',
                header: t('attack.col.member'),
                value: (row) => row.name,
                rowHeader: true,
                cell: (row) => (
                  <>
                    <a href={memberHref(row.code)}>{row.name}</a>
                    <span className="home-meta"> · {t(`attack.${row.state}`)}</span>
                  </>
                ),
              },
              {
                id: 'incidents',
                header: t('attack.col.incidents'),
                value: (row) => row.incidents.length,
                cell: (row) =>
                  row.incidents.length === 0 ? (
                    core('common.none')
                  ) : (
                    <a
                      href={
                        row.incidents.length === 1 && row.incidents[0]
                          ? `#/incidents/${encodeURIComponent(row.incidents[0].id)}`
                          : '#/incidents/national'
                      }
                      aria-label={`${count('incidents', row.incidents.length)}: ${t('attackIncidentsLink', { name: row.name })}`}
                    >
                      {count('incidents', row.incidents.length)}
                    </a>
                  ),
              },
              {
                id: 'sightings',
                header: t('attack.col.sightings'),
                value: (row) => row.sightings,
                cell: (row) =>
                  row.indicator ? (
                    <a
                      href={indicatorHref(row.indicator)}
                      aria-label={`${count('observations', row.sightings)}: ${t('attackSightingsLink', { name: row.name })}`}
                    >
                      {count('observations', row.sightings)}
                    </a>
                  ) : (
                    count('observations', 0)
                  ),
              },
              { id: 'last', header: t('attack.col.last'), value: (row) => row.lastSeen, format: 'datetime' },
            ]}
          />
        </>
      ) : null}
    </Section>
  );
}

function CampaignsSection() {
  const t = useT('home');
  const day = useDay();
  const [state, retry] = useAsync((signal) => listCampaigns(signal), []);
  return (
    <Section id="campaigns" title={t('campaignsHeading')}>
      <AsyncView state={state} retry={retry} isEmpty={(data) => data.items.length === 0} empty={<p>{t('campaignsNone')}</p>}>
        {(data) => (
          <>
            <ul className="home-list">
              {data.items.map((campaign) => (
                <li key={campaign.id} data-campaign={campaign.id}>
                  <strong>{t('campaignCause', { cause: campaign.causes.map((cause) => cause.name).join(', ') })}</strong>
                  <br />
                  {t('campaignMembers', { members: campaign.members.map((member) => member.name).join(', ') })}
                  <span className="home-meta">
                    {' · '}
                    {day(campaign.first.utc)} – {day(campaign.last.utc)}
                  </span>
                </li>
              ))}
            </ul>
            <p>
              <a href="#/incidents/national">{t('campaignLink')}</a>
            </p>
          </>
        )}
      </AsyncView>
    </Section>
  );
}

function BlindSpotsSection() {
  const t = useT('home');
  const count = useCount();
  const [protection, retryProtection] = useAsync((signal) => getProtectionNational(signal), []);
  const [coverage, retryCoverage] = useAsync((signal) => getCoverage(signal), []);
  const [notices, retryNotices] = useAsync((signal) => getBlindSpots(signal), []);
  return (
    <Section id="blind" title={t('blindHeading')}>
      <ul className="home-list">
        <li data-blind="protection">
          <AsyncView state={protection} retry={retryProtection}>
            {(data) => (
              <>
                {t('blindNotConnected', {
                  members: count('members', data.totals.not_connected),
                  total: data.totals.members,
                })}{' '}
                <a href="#/protection">{t('blindNotConnectedLink')}</a>
              </>
            )}
          </AsyncView>
        </li>
        <li data-blind="register">
          <AsyncView state={coverage} retry={retryCoverage}>
            {(data) => (
              <>
                {t('blindNoProof', {
                  members: count('members', data.organisations - data.with_proven_domain),
                  total: data.organisations,
                })}{' '}
                <a href="#/register">{t('blindNoProofLink')}</a>
              </>
            )}
          </AsyncView>
        </li>
        <li data-blind="notices">
          <AsyncView state={notices} retry={retryNotices}>
            {(data) => (
              <>
                {t('blindUnregistered', { what: count('keys', data.blind_spots.length) })} <a href="#/notices">{t('blindUnregisteredLink')}</a>
              </>
            )}
          </AsyncView>
        </li>
      </ul>
    </Section>
  );
}

function PlanSection() {
  const t = useT('home');
  return (
    <Section id="plan" title={t('planHeading')}>
      <ul className="home-list">
        <li>
          <a href="#/risk/plan" data-testid="home-plan-link">
            {t('planLink')}
          </a>
        </li>
        <li>
          <a href="#/risk">{t('weakestLink')}</a>
        </li>
      </ul>
    </Section>
  );
}

export function CoordinatorHome() {
  const t = useT('home');
  return (
    <div className="home" data-testid="home" data-role="coordinator">
      <header className="panel home-head">
        <h1>{t('nationalHeading')}</h1>
        <p>{t('nationalIntro')}</p>
      </header>
      <AttackSection />
      <div className="home-grid">
        <DeadlinesSection national />
        <CampaignsSection />
        <BlindSpotsSection />
        <PlanSection />
      </div>
    </div>
  );
}
