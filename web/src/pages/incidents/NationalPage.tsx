import { useMemo, useState, type FormEvent } from 'react';
import { useI18n, useT } from '../../i18n';
import { regionColour } from '../../regions';
import { DenmarkMap, regionAreas, regionShapeClass } from '../../ui/DenmarkMap';
import { listAllOrganisations, type Organisation } from '../../api';
import { memberHref, navigate } from '../../nav';
import { AsyncView } from '../../ui/AsyncView';
import { When } from './When';
import { useAction } from '../../ui/useAction';
import { combine, useAsync } from '../../ui/useAsync';
import {
  getTimeline,
  listCampaigns,
  listGuidance,
  postGuidance,
  type Campaign,
  type Guidance,
  type GuidanceInput,
  type Timeline,
} from './api';

/** The coordinator's view: open incidents on the map and a timeline, campaigns, guidance. */
export function NationalPage() {
  const t = useT('incidents');
  const [timeline, retryTimeline] = useAsync((signal) => getTimeline(signal), []);
  const [campaigns, retryCampaigns] = useAsync((signal) => listCampaigns(signal), []);
  const [orgs, retryOrgs] = useAsync((signal) => listAllOrganisations({ kind: 'municipality' }, signal), []);
  const [guidanceFor, setGuidanceFor] = useState<Campaign | null>(null);
  const [posted, setPosted] = useState(0);
  return (
    <>
      <section className="panel">
        <h1>{t('nationalTitle')}</h1>
        <div className="inc-national">
          <div>
            <h2>{t('mapTitle')}</h2>
            <AsyncView state={combine(timeline, orgs)} retry={orgs.status === 'error' ? retryOrgs : retryTimeline}>
              {([data, municipalities]) => <IncidentMap timeline={data} orgs={municipalities} />}
            </AsyncView>
          </div>
          <div>
            <h2>{t('timelineTitle')}</h2>
            <AsyncView state={timeline} retry={retryTimeline}>
              {(data) => <TimelineView timeline={data} />}
            </AsyncView>
          </div>
        </div>
      </section>
      <section className="panel" data-testid="inc-campaigns">
        <h2>{t('campaignsTitle')}</h2>
        <AsyncView
          state={campaigns}
          retry={retryCampaigns}
          isEmpty={(data) => data.items.length === 0}
          empty={<p>{t('noCampaigns')}</p>}
        >
          {(data) =>
            data.items.map((campaign) => (
              <article key={campaign.id} className="inc-campaign" data-testid="inc-campaign" data-id={campaign.id}>
                <h3>{campaign.members.map((member) => member.name).join(' · ')}</h3>
                <p>
                  <strong>{t('campaignCause')}:</strong>{' '}
                  {campaign.causes
                    .map((cause) => `${cause.kind === 'supplier' ? t('supplier') : t('indicator')} ${cause.name}`)
                    .join(', ')}
                </p>
                <p>
                  <strong>{t('firstLast')}:</strong> <When at={campaign.first} /> – <When at={campaign.last} />
                </p>
                <ul>
                  {campaign.incidents.map((incident) => (
                    <li key={incident.id}>
                      <a href={`#/incidents/${incident.id}`} data-user-text>{incident.title}</a> — {incident.org.name},{' '}
                      <When at={incident.start} />
                    </li>
                  ))}
                </ul>
                <button type="button" onClick={() => setGuidanceFor(campaign)}>
                  {t('guideCampaign')}
                </button>
              </article>
            ))
          }
        </AsyncView>
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
              <a href={`#/incidents/${item.id}`} data-user-text>{item.title}</a>
              <span className="inc-meta">
                {item.org.name}
                {item.org.region_name ? ` · ${item.org.region_name}` : ''} · <When at={item.start} />
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
  const [severity, setSeverity] = useState<NonNullable<GuidanceInput['severity']>>('warning');
  const [recipients, setRecipients] = useState('');
  const [campaignId, setCampaignId] = useState(campaign?.id ?? '');
  const post = useAction(async (guidance: GuidanceInput): Promise<Guidance> => {
    const posted = await postGuidance(guidance);
    setTitle('');
    setBody('');
    onPosted();
    return posted;
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    const codes = recipients
      .split(',')
      .map((code) => code.trim().toUpperCase())
      .filter(Boolean);
    void post.run({ title, body, severity, recipients: codes, campaign: campaignId || undefined });
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
            <select value={severity} onChange={(e) => setSeverity(e.target.value as typeof severity)}>
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
        <AsyncView state={post.state}>
          {(posted) => <p role="status">{t('gPosted', { count: posted.recipients?.length ?? 0 })}</p>}
        </AsyncView>
        <button type="submit" disabled={post.pending}>
          {t('send')}
        </button>
      </form>
    </section>
  );
}

function SentGuidance() {
  const t = useT('incidents');
  const [state, retry] = useAsync((signal) => listGuidance(signal), []);
  return (
    <section className="panel">
      <h2>{t('allGuidance')}</h2>
      <AsyncView state={state} retry={retry}>
        {(data) =>
          data.items.map((item) => (
            <article key={item.id} className={`inc-guide inc-sev-${item.severity}`}>
              <h3 data-user-text>{item.title}</h3>
              <p className="inc-meta">
                <When at={item.posted} /> · {t('to')} {(item.recipients ?? []).join(', ')}
              </p>
              <p data-user-text>{item.body}</p>
            </article>
          ))
        }
      </AsyncView>
    </section>
  );
}
