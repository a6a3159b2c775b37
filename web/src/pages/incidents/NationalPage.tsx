import { useMemo, useState, type FormEvent } from 'react';
import { useI18n, useT } from '../../i18n';
import { regionColour } from '../../regions';
import { DenmarkMap, regionAreas, regionShapeClass } from '../../ui/DenmarkMap';
import { ApiError, listAllOrganisations, type Organisation } from '../../api';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Loading } from '../../ui/Loading';
import { memberHref, navigate } from '../../nav';
import { useAsync } from '../../ui/useAsync';
import { getTimeline, listCampaigns, listGuidance, postGuidance, type Campaign, type Timeline } from './api';


/** The coordinator's view: open incidents on the map and a timeline, campaigns, guidance. */
export function NationalPage() {
  const t = useT('incidents');
  const [timeline, retryTimeline] = useAsync((signal) => getTimeline(signal), []);
  const [campaigns, retryCampaigns] = useAsync((signal) => listCampaigns(signal), []);
  const [orgs] = useAsync((signal) => listAllOrganisations({ kind: 'municipality' }, signal), []);
  const [guidanceFor, setGuidanceFor] = useState<Campaign | null>(null);
  const [posted, setPosted] = useState(0);
  return (
    <>
      <section className="panel">
        <h1>{t('nationalTitle')}</h1>
        <div className="inc-national">
          <div>
            <h2>{t('mapTitle')}</h2>
            {timeline.status === 'ok' && orgs.status === 'ok' ? (
              <IncidentMap timeline={timeline.data} orgs={orgs.data} />
            ) : (
              <Loading />
            )}
          </div>
          <div>
            <h2>{t('timelineTitle')}</h2>
            {timeline.status === 'loading' ? <Loading /> : null}
            {timeline.status === 'error' ? <ErrorMessage error={timeline.error} onRetry={retryTimeline} /> : null}
            {timeline.status === 'ok' ? <TimelineView timeline={timeline.data} /> : null}
          </div>
        </div>
      </section>
      <section className="panel" data-testid="inc-campaigns">
        <h2>{t('campaignsTitle')}</h2>
        {campaigns.status === 'loading' ? <Loading /> : null}
        {campaigns.status === 'error' ? <ErrorMessage error={campaigns.error} onRetry={retryCampaigns} /> : null}
        {campaigns.status === 'ok' && campaigns.data.items.length === 0 ? <p>{t('noCampaigns')}</p> : null}
        {campaigns.status === 'ok'
          ? campaigns.data.items.map((campaign) => (
              <article key={campaign.id} className="inc-campaign" data-testid="inc-campaign" data-id={campaign.id}>
                <h3>{campaign.members.map((member) => member.name).join(' · ')}</h3>
                <p>
                  <strong>{t('campaignCause')}:</strong>{' '}
                  {campaign.causes
                    .map((cause) => `${cause.kind === 'supplier' ? t('supplier') : t('indicator')} ${cause.name}`)
                    .join(', ')}
                </p>
                <p>
                  <strong>{t('firstLast')}:</strong> {campaign.first.display} – {campaign.last.display}
                </p>
                <ul>
                  {campaign.incidents.map((incident) => (
                    <li key={incident.id}>
                      <a href={`#/incidents/${incident.id}`}>{incident.title}</a> — {incident.org.name},{' '}
                      {incident.start.display}
                    </li>
                  ))}
                </ul>
                <button type="button" onClick={() => setGuidanceFor(campaign)}>
                  {t('guideCampaign')}
                </button>
              </article>
            ))
          : null}
      </section>
      <GuidanceForm
        key={guidanceFor?.id ?? 'free'}
        campaign={guidanceFor}
        campaigns={campaigns.status === 'ok' ? campaigns.data.items : []}
        onPosted={() => setPosted((n) => n + 1)}
      />
      <SentGuidance key={posted} />
    </>
  );
}

const OPEN_INCIDENT_COLOUR = '#c0392b';

function IncidentMap({ timeline, orgs }: { timeline: Timeline; orgs: Organisation[] }) {
  const t = useT('incidents');
  const { regionLabel } = useI18n();
  const shapeClass = useMemo(() => regionShapeClass(new Map(orgs.map((org) => [org.code, org]))), [orgs]);
  // Members with open incidents are drawn in red over the region colours.
  const areas = useMemo(() => {
    const layer = regionAreas(orgs, regionLabel);
    for (const member of timeline.members) {
      const area = layer.get(member.code);
      if (area) layer.set(member.code, { ...area, fill: OPEN_INCIDENT_COLOUR, value: `${area.value} · ${t('mapTitle')}` });
    }
    return layer;
  }, [orgs, timeline, regionLabel, t]);
  return (
    <div className="inc-map" data-testid="inc-map" data-members={timeline.members.map((m) => m.code).join(' ')}>
      <DenmarkMap
        areas={areas}
        shapeClass={shapeClass}
        emptyFill={regionColour(null)}
        onSelect={(code) => navigate(memberHref(code))}
        label={t('mapTitle')}
        valueLabel={t('mapTitle')}
        testId="dk-map"
      />
    </div>
  );
}

function TimelineView({ timeline }: { timeline: Timeline }) {
  const t = useT('incidents');
  if (timeline.items.length === 0) return <p>{t('noIncidents')}</p>;
  const starts = timeline.items.map((item) => Date.parse(item.start.utc));
  const first = Math.min(...starts);
  const now = Date.now();
  const span = Math.max(now - first, 3_600_000);
  return (
    <ol className="inc-timeline" data-testid="inc-timeline">
      {timeline.items.map((item) => {
        const left = ((Date.parse(item.start.utc) - first) / span) * 100;
        return (
          <li key={item.id}>
            <div className="inc-timeline-label">
              <a href={`#/incidents/${item.id}`}>{item.title}</a>
              <span className="inc-meta">
                {item.org.name}
                {item.org.region_name ? ` · ${item.org.region_name}` : ''} · {item.start.display}
                {item.overdue ? ` · ${t('overdue')}` : ''}
              </span>
            </div>
            <div className="inc-timeline-track">
              <span
                className={`inc-timeline-bar${item.overdue ? ' inc-overdue' : ''}`}
                style={{ left: `${left}%`, width: `${Math.max(100 - left, 1)}%` }}
              />
            </div>
          </li>
        );
      })}
    </ol>
  );
}

function GuidanceForm({
  campaign,
  campaigns,
  onPosted,
}: {
  campaign: Campaign | null;
  campaigns: Campaign[];
  onPosted: () => void;
}) {
  const t = useT('incidents');
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [severity, setSeverity] = useState('warning');
  const [recipients, setRecipients] = useState('');
  const [campaignId, setCampaignId] = useState(campaign?.id ?? '');
  const [result, setResult] = useState<string | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    const codes = recipients
      .split(',')
      .map((code) => code.trim().toUpperCase())
      .filter(Boolean);
    try {
      const posted = await postGuidance({
        title,
        body,
        severity,
        recipients: codes,
        campaign: campaignId || null,
      });
      setResult(t('gPosted', { count: posted.recipients?.length ?? 0 }));
      setTitle('');
      setBody('');
      onPosted();
    } catch (err) {
      setFailure(err instanceof ApiError ? err : new ApiError('invalid', String(err)));
    }
  }
  return (
    <section className="panel" id="inc-guidance-form">
      <h2>{t('postGuidance')}</h2>
      <form className="inc-form" onSubmit={submit} noValidate data-testid="guidance-form">
        <label>
          {t('gTitle')}
          <input name="title" value={title} onChange={(e) => setTitle(e.target.value)} />
        </label>
        <label>
          {t('gBody')}
          <textarea name="body" rows={3} value={body} onChange={(e) => setBody(e.target.value)} />
        </label>
        <div className="inc-row">
          <label>
            {t('gSeverity')}
            <select value={severity} onChange={(e) => setSeverity(e.target.value)}>
              <option value="info">info</option>
              <option value="warning">warning</option>
              <option value="critical">critical</option>
            </select>
          </label>
          <label>
            {t('gRecipients')} <small>{t('gRecipientsHint')}</small>
            <input name="recipients" value={recipients} onChange={(e) => setRecipients(e.target.value)} />
          </label>
          <label>
            {t('gCampaign')}
            <select name="campaign" value={campaignId} onChange={(e) => setCampaignId(e.target.value)}>
              <option value="">{t('gNone')}</option>
              {campaigns.map((item) => (
                <option key={item.id} value={item.id}>
                  {item.members.map((member) => member.name).join(', ')}
                </option>
              ))}
            </select>
          </label>
        </div>
        {failure ? <ErrorMessage error={failure} /> : null}
        {result ? <p role="status">{result}</p> : null}
        <button type="submit">{t('send')}</button>
      </form>
    </section>
  );
}

function SentGuidance() {
  const t = useT('incidents');
  const [state] = useAsync((signal) => listGuidance(signal), []);
  if (state.status !== 'ok') return null;
  return (
    <section className="panel">
      <h2>{t('allGuidance')}</h2>
      {state.data.items.map((item) => (
        <article key={item.id} className={`inc-guide inc-sev-${item.severity}`}>
          <h3>{item.title}</h3>
          <p className="inc-meta">
            {item.posted.display} · {t('to')} {(item.recipients ?? []).join(', ')}
          </p>
          <p>{item.body}</p>
        </article>
      ))}
    </section>
  );
}
