import { useState, type FormEvent } from 'react';
import { useI18n, useT } from '../../i18n';
import { navigate } from '../../nav';
import { useSession } from '../../session';
import { AsyncView } from '../../ui/AsyncView';
import { DueDate } from '../../ui/DueDate';
import { ReadablePattern } from '../../ui/ReadablePattern';
import { When } from './When';
import { SignInPrompt } from '../../ui/SignInPrompt';
import { DataTable } from '../../ui/DataTable';
import { useAction } from '../../ui/useAction';
import { useAsync, type AsyncState } from '../../ui/useAsync';
import type { PageProps } from '../../nav';
import {
  copenhagenNow,
  copenhagenToUtc,
  createIncident,
  fieldOf,
  getIncident,
  listGuidance,
  listIncidents,
  openReport,
  shareIncident,
  submitReport,
  type ContentItem,
  type Deadline,
  type Incident,
  type IncidentInput,
} from './api';
import { CompetencesPage } from './CompetencesPage';
import { NationalPage } from './NationalPage';
import './incidents.css';

export function IncidentsPage({ rest }: PageProps) {
  const session = useSession();
  const t = useT('incidents');
  if (!session.me) {
    return <SignInPrompt title={t('title')} link={t('signIn')} />;
  }
  const coordinator = session.me.coordinator;
  const page = rest[0] ?? '';
  let body;
  if (page === 'new') body = <ReportForm />;
  else if (page === 'national' && coordinator) body = <NationalPage />;
  else if (page === 'competences') body = <CompetencesPage />;
  else if (page) body = <IncidentPage key={page} id={page} />;
  else body = <Home />;
  return (
    <div className="inc">
      <nav className="inc-tabs" aria-label={t('title')}>
        <a href="#/incidents" aria-current={page === '' ? 'page' : undefined}>
          {t('tabMine')}
        </a>
        {session.me.role === 'member' || session.me.role === 'admin' ? (
          <a href="#/incidents/new" aria-current={page === 'new' ? 'page' : undefined} data-testid="inc-report-link">
            {t('tabReport')}
          </a>
        ) : null}
        {coordinator ? (
          <a href="#/incidents/national" aria-current={page === 'national' ? 'page' : undefined}>
            {t('tabNational')}
          </a>
        ) : null}
        <a href="#/incidents/competences" aria-current={page === 'competences' ? 'page' : undefined}>
          {t('tabCompetences')}
        </a>
      </nav>
      {body}
    </div>
  );
}

function Home() {
  const t = useT('incidents');
  const { codeLabel } = useI18n();
  const [state, retry] = useAsync((signal) => listIncidents(signal), []);
  return (
    <>
      <GuidancePanel />
      <section className="panel">
        <h1>{t('title')}</h1>
        <AsyncView state={state} retry={retry} isEmpty={(data) => data.items.length === 0} empty={<p>{t('noIncidents')}</p>}>
          {(data) => (
            <DataTable
              rows={data.items}
              rowKey={(incident) => incident.id}
              className="inc-table"
              testId="inc-list"
              ariaLabel={t('title')}
              rowProps={(incident) => ({ 'data-id': incident.id })}
              columns={[
                {
                  id: 'title',
                  header: t('colTitle'),
                  value: (incident) => incident.title,
                  cell: (incident) => <a href={`#/incidents/${incident.id}`} data-user-text>{incident.title}</a>,
                },
                { id: 'member', header: t('colMember'), value: (incident) => incident.org.name },
                {
                  id: 'aware',
                  header: t('colAware'),
                  value: (incident) => incident.became_aware_local.utc,
                  cell: (incident) => <When at={incident.became_aware_local} />,
                },
                {
                  id: 'next',
                  header: t('colNext'),
                  value: (incident) => incident.next_due?.due.utc,
                  cell: (incident) => (
                    <>
                      {incident.next_due ? <DueDate at={incident.next_due.due.utc} style="datetime" /> : '—'}
                      {incident.overdue ? <span className="inc-badge inc-overdue"> {t('overdue')}</span> : null}
                    </>
                  ),
                },
                { id: 'status', header: t('colStatus'), value: (incident) => incident.status, cell: (incident) => codeLabel('incidents.status', incident.status) },
              ]}
            />
          )}
        </AsyncView>
      </section>
    </>
  );
}

export function GuidancePanel() {
  const t = useT('incidents');
  const [state, retry] = useAsync((signal) => listGuidance(signal), []);
  return (
    <AsyncView state={state} retry={retry}>
      {(data) => (
        <section className="panel inc-guidance" data-testid="inc-guidance">
          <h2>{t('guidanceTitle')}</h2>
          {data.items.length === 0 ? <p>{t('noGuidance')}</p> : null}
          {data.items.map((item) => (
            <article key={item.id} className={`inc-guide inc-sev-${item.severity}`}>
              <h3 data-user-text>{item.title}</h3>
              <p className="inc-meta">
                {t('from')} {item.from.name} · <When at={item.posted} />
                {item.recipients ? ` · ${t('to')} ${item.recipients.join(', ')}` : ''}
              </p>
              <p data-user-text>{item.body}</p>
            </article>
          ))}
        </section>
      )}
    </AsyncView>
  );
}

const TLPS = ['clear', 'green', 'amber', 'amber+strict'];

function FieldError({ errors, name }: { errors: Record<string, string>; name: string }) {
  const message = errors[name];
  if (!message) return null;
  return (
    <span className="inc-field-error" role="alert" data-testid={`field-error-${name}`}>
      {message}
    </span>
  );
}

/** The field a failed submission's answer names, keyed as the form names it ("new_indicators[0].pattern" → "new_indicators"). */
function serverFieldError(state: AsyncState<unknown>): Record<string, string> {
  if (state.status !== 'error') return {};
  const field = fieldOf(state.error.serverMessage);
  return field ? { [field.replace(/\[\d+\].*$/, '')]: state.error.serverMessage ?? '' } : {};
}

/** A submission's pending state and a failure that names no field (those stand at their field). */
function SubmitOutcome({ state }: { state: AsyncState<unknown> }) {
  return (
    <AsyncView state={state} error={(error) => (fieldOf(error.serverMessage) ? null : undefined)}>
      {() => null}
    </AsyncView>
  );
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

function ReportForm() {
  const t = useT('incidents');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [aware, setAware] = useState(copenhagenNow());
  const [started, setStarted] = useState('');
  const [services, setServices] = useState('');
  const [citizens, setCitizens] = useState('');
  const [estimate, setEstimate] = useState(true);
  const [malicious, setMalicious] = useState(false);
  const [crossMember, setCrossMember] = useState(false);
  const [crossBorder, setCrossBorder] = useState(false);
  const [via, setVia] = useState('');
  const [patterns, setPatterns] = useState('');
  const [tlp, setTlp] = useState('amber');
  const [localErrors, setErrors] = useState<Record<string, string>>({});
  const create = useAction(createIncident);
  const errors = { ...localErrors, ...serverFieldError(create.state) };

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!title.trim()) found['title'] = t('required');
    if (!description.trim()) found['description'] = t('required');
    const awareUtc = copenhagenToUtc(aware);
    if (!awareUtc) found['became_aware_at'] = t('required');
    else if (Date.parse(awareUtc) > Date.now() + 5 * 60_000) found['became_aware_at'] = t('inFuture');
    const startedUtc = started ? copenhagenToUtc(started) : null;
    if (citizens && !/^\d+$/.test(citizens.trim())) found['citizens_affected.count'] = t('required');
    setErrors(found);
    create.reset();
    if (!awareUtc || Object.keys(found).length > 0) return;
    const body: IncidentInput = {
      title,
      description,
      became_aware_at: awareUtc,
      affected_services: splitList(services),
      suspected_malicious: malicious,
      cross_member_impact: crossMember,
      cross_border_impact: crossBorder,
      suspected_via: splitList(via.toUpperCase()),
      new_indicators: patterns
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line.length > 0)
        .map((pattern) => ({ name: pattern.slice(0, 200), pattern })),
      share_tlp: tlp,
    };
    if (startedUtc) body.started_at = startedUtc;
    if (citizens.trim()) body.citizens_affected = { count: Number(citizens.trim()), estimate };
    const created = await create.run(body);
    if (created) navigate(`#/incidents/${created.id}`);
  }

  return (
    <section className="panel">
      <h1>{t('formTitle')}</h1>
      <form className="inc-form" onSubmit={submit} noValidate data-testid="inc-form">
        <label>
          {t('fTitle')}
          <input name="title" value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} />
          <FieldError errors={errors} name="title" />
        </label>
        <label>
          {t('fDescription')}
          <textarea name="description" value={description} onChange={(e) => setDescription(e.target.value)} rows={4} />
          <FieldError errors={errors} name="description" />
        </label>
        <div className="inc-row">
          <label>
            {t('fAware')} ({t('danishTime')})
            <input type="datetime-local" name="became_aware_at" value={aware} onChange={(e) => setAware(e.target.value)} />
            <FieldError errors={errors} name="became_aware_at" />
          </label>
          <label>
            {t('fStarted')} ({t('danishTime')})
            <input type="datetime-local" name="started_at" value={started} onChange={(e) => setStarted(e.target.value)} />
            <FieldError errors={errors} name="started_at" />
          </label>
        </div>
        <label>
          {t('fServices')} <small>{t('fServicesHint')}</small>
          <input name="affected_services" value={services} onChange={(e) => setServices(e.target.value)} />
          <FieldError errors={errors} name="affected_services" />
        </label>
        <div className="inc-row">
          <label>
            {t('fCitizens')}
            <input name="citizens" inputMode="numeric" value={citizens} onChange={(e) => setCitizens(e.target.value)} />
            <FieldError errors={errors} name="citizens_affected.count" />
          </label>
          <label className="inc-check">
            <input type="checkbox" checked={estimate} onChange={(e) => setEstimate(e.target.checked)} />
            {t('fEstimate')}
          </label>
        </div>
        <fieldset className="inc-checks">
          <label className="inc-check">
            <input type="checkbox" name="suspected_malicious" checked={malicious} onChange={(e) => setMalicious(e.target.checked)} />
            {t('fMalicious')}
          </label>
          <label className="inc-check">
            <input type="checkbox" name="cross_member_impact" checked={crossMember} onChange={(e) => setCrossMember(e.target.checked)} />
            {t('fCrossMember')}
          </label>
          <label className="inc-check">
            <input type="checkbox" name="cross_border_impact" checked={crossBorder} onChange={(e) => setCrossBorder(e.target.checked)} />
            {t('fCrossBorder')}
          </label>
        </fieldset>
        <label>
          {t('fVia')} <small>{t('fViaHint')}</small>
          <input name="suspected_via" value={via} onChange={(e) => setVia(e.target.value)} />
          <FieldError errors={errors} name="suspected_via" />
        </label>
        <label>
          {t('fIndicators')} <small>{t('fIndicatorsHint')}</small>
          <textarea name="new_indicators" value={patterns} onChange={(e) => setPatterns(e.target.value)} rows={2} />
          <FieldError errors={errors} name="new_indicators" />
        </label>
        <label>
          {t('fTlp')}
          <select name="share_tlp" value={tlp} onChange={(e) => setTlp(e.target.value)}>
            {TLPS.map((level) => (
              <option key={level} value={level}>
                TLP:{level.toUpperCase()}
              </option>
            ))}
          </select>
        </label>
        {Object.keys(errors).length > 0 ? <p className="inc-field-error">{t('fixFields')}</p> : null}
        <SubmitOutcome state={create.state} />
        <button type="submit" disabled={create.pending} data-testid="inc-submit">
          {t('submitIncident')}
        </button>
      </form>
    </section>
  );
}

function IncidentPage({ id }: { id: string }) {
  const [state, retry] = useAsync((signal) => getIncident(id, signal), [id]);
  return (
    <AsyncView state={state} retry={retry}>
      {(incident) => <IncidentView incident={incident} onChange={retry} />}
    </AsyncView>
  );
}

function IncidentView({ incident, onChange }: { incident: Incident; onChange: () => void }) {
  const t = useT('incidents');
  const { lang, formatRelative, codeLabel, formatNumber } = useI18n();
  const session = useSession();
  const canWrite =
    (session.me?.role === 'member' && session.me.organisation.code === incident.org.code) || session.me?.role === 'admin';
  return (
    <>
      <section className="panel">
        <h1 data-testid="inc-title" data-user-text>
          {incident.title}
        </h1>
        <p className="inc-meta">
          {incident.org.name} · {codeLabel('incidents.status', incident.status)} · v{incident.version}
        </p>
        <p>{incident.description}</p>
        <dl className="inc-facts">
          <dt>{t('aware')}</dt>
          <dd data-testid="inc-aware"><When at={incident.became_aware_local} /></dd>
          <dt>{t('started')}</dt>
          <dd><When at={incident.start_local} /></dd>
          <dt>{t('services')}</dt>
          <dd>{incident.affected_services.join(', ') || '—'}</dd>
          <dt>{t('citizens')}</dt>
          <dd>
            {incident.citizens_affected
              ? `${formatNumber(incident.citizens_affected.count)}${incident.citizens_affected.estimate ? ` (${t('estimate')})` : ''}`
              : '—'}
          </dd>
          <dt>{t('malicious')}</dt>
          <dd>{incident.suspected_malicious ? t('yes') : t('no')}</dd>
          <dt>{t('crossMember')}</dt>
          <dd>{incident.cross_member_impact ? t('yes') : t('no')}</dd>
          <dt>{t('crossBorder')}</dt>
          <dd>{incident.cross_border_impact ? t('yes') : t('no')}</dd>
          <dt>{t('via')}</dt>
          <dd>{incident.suspected_via.join(', ') || '—'}</dd>
        </dl>
      </section>
      <section className="panel">
        <h2>{t('clock')}</h2>
        <DataTable
          rows={incident.clock}
          rowKey={(deadline) => deadline.stage}
          className="inc-table inc-clock"
          testId="inc-clock"
          ariaLabel={t('clock')}
          rowProps={(deadline) => ({ 'data-stage': deadline.stage, 'data-state': deadline.state })}
          columns={[
            {
              id: 'stage',
              header: t('stage'),
              cell: (deadline) => (
                <>
                  {deadline.name[lang]} <small>{deadline.article}</small>
                </>
              ),
            },
            {
              id: 'due',
              header: t('due'),
              cell: (deadline) => <span data-testid={`due-${deadline.stage}`}>{deadline.due ? <DueDate at={deadline.due.utc} style="datetime" done={deadline.state === 'submitted' || deadline.state === 'not_required'} /> : '—'}</span>,
            },
            {
              id: 'countdown',
              header: t('countdown'),
              cell: (deadline) =>
                deadline.remaining_seconds !== null && deadline.state !== 'submitted'
                  ? deadline.remaining_seconds >= 0
                    ? formatRelative(Date.now() + deadline.remaining_seconds * 1000)
                    : t('ago', { time: formatRelative(Date.now() + deadline.remaining_seconds * 1000) })
                  : '—',
            },
            {
              id: 'state',
              header: t('state'),
              cell: (deadline) => (
                <>
                  <span className={`inc-badge inc-st-${deadline.state}`}>{t(`st_${deadline.state}`)}</span>
                  {deadline.submitted_at ? <> <When at={deadline.submitted_at} /></> : ''}
                  {deadline.late ? ` (${t('late')})` : ''}
                </>
              ),
            },
          ]}
        />
        {incident.clock.map((deadline) => (
          <StagePanel key={deadline.stage} incident={incident} deadline={deadline} canWrite={canWrite} onSubmitted={onChange} />
        ))}
      </section>
      {canWrite ? <SharePanel incident={incident} onShared={onChange} /> : null}
      {incident.versions ? (
        <section className="panel">
          <h2>{t('incidentVersions')}</h2>
          <ul>
            {incident.versions.map((version) => (
              <li key={version.version}>
                v{version.version} · <When at={version.at} /> · {version.by}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

function StagePanel({
  incident,
  deadline,
  canWrite,
  onSubmitted,
}: {
  incident: Incident;
  deadline: Deadline;
  canWrite: boolean;
  onSubmitted: () => void;
}) {
  const t = useT('incidents');
  const { lang } = useI18n();
  const [open, setOpen] = useState(false);
  const report = useAction((version: number) => openReport(incident.id, deadline.stage, version));
  const versions = incident.reports?.[deadline.stage] ?? [];
  return (
    <details className="inc-stage" data-testid={`stage-${deadline.stage}`}>
      <summary>
        {deadline.name[lang]} — {t('mustContain')}
      </summary>
      <ul>
        {deadline.contents.map((item) => (
          <li key={item.key}>
            {item[lang]}
            {item.required ? '' : ` (${t('optional')})`}
          </li>
        ))}
      </ul>
      {versions.length > 0 ? (
        <p>
          {t('versions')}:{' '}
          {versions.map((version) => (
            <button
              key={version.version}
              type="button"
              className="inc-link"
              disabled={report.pending}
              onClick={() => void report.run(version.version)}
            >
              v{version.version} · <When at={version.at} />
            </button>
          ))}
        </p>
      ) : null}
      <AsyncView state={report.state}>{() => null}</AsyncView>
      {canWrite && deadline.state !== 'not_required' ? (
        open ? (
          <ReportContentsForm
            incident={incident}
            stage={deadline.stage}
            items={deadline.contents}
            onDone={() => {
              setOpen(false);
              onSubmitted();
            }}
            onCancel={() => setOpen(false)}
          />
        ) : (
          <button type="button" onClick={() => setOpen(true)} data-testid={`open-${deadline.stage}`}>
            {t('submitReport')}
          </button>
        )
      ) : null}
    </details>
  );
}

function ReportContentsForm({
  incident,
  stage,
  items,
  onDone,
  onCancel,
}: {
  incident: Incident;
  stage: Deadline['stage'];
  items: ContentItem[];
  onDone: () => void;
  onCancel: () => void;
}) {
  const t = useT('incidents');
  const { lang } = useI18n();
  const [values, setValues] = useState<Record<string, string | boolean>>(() => ({
    suspected_malicious: incident.suspected_malicious,
    cross_border_impact: incident.cross_border_impact,
    summary: incident.description,
    severity: 'medium',
  }));
  const [localErrors, setErrors] = useState<Record<string, string>>({});
  const send = useAction((contents: Record<string, unknown>) => submitReport(incident.id, stage, contents));
  const errors = { ...localErrors, ...serverFieldError(send.state) };
  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: Record<string, string> = {};
    const contents: Record<string, unknown> = {};
    for (const item of items) {
      const value = values[item.key];
      if (item.kind === 'bool') contents[item.key] = value === true;
      else if (item.kind === 'list') {
        const list = String(value ?? '')
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean);
        if (list.length > 0) contents[item.key] = list;
      } else if (typeof value === 'string' && value.trim()) contents[item.key] = value.trim();
      else if (item.required) found[`contents.${item.key}`] = t('required');
    }
    setErrors(found);
    send.reset();
    if (Object.keys(found).length > 0) return;
    if (await send.run(contents)) onDone();
  }
  return (
    <form className="inc-form" onSubmit={submit} noValidate data-testid={`report-form-${stage}`}>
      {items.map((item) => (
        <label key={item.key} className={item.kind === 'bool' ? 'inc-check' : undefined}>
          {item.kind === 'bool' ? (
            <input
              type="checkbox"
              name={item.key}
              checked={values[item.key] === true}
              onChange={(e) => setValues({ ...values, [item.key]: e.target.checked })}
            />
          ) : null}
          {item[lang]}
          {item.required ? '' : ` (${t('optional')})`}
          {item.kind === 'severity' ? (
            <select
              name={item.key}
              value={String(values[item.key] ?? 'medium')}
              onChange={(e) => setValues({ ...values, [item.key]: e.target.value })}
            >
              {['low', 'medium', 'high', 'critical'].map((level) => (
                <option key={level} value={level}>
                  {level}
                </option>
              ))}
            </select>
          ) : null}
          {item.kind === 'text' || item.kind === 'list' ? (
            <textarea
              name={item.key}
              rows={2}
              value={String(values[item.key] ?? '')}
              onChange={(e) => setValues({ ...values, [item.key]: e.target.value })}
            />
          ) : null}
          <FieldError errors={errors} name={`contents.${item.key}`} />
        </label>
      ))}
      <SubmitOutcome state={send.state} />
      <div className="inc-row">
        <button type="submit" disabled={send.pending} data-testid={`send-${stage}`}>
          {t('send')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

function SharePanel({ incident, onShared }: { incident: Incident; onShared: () => void }) {
  const t = useT('incidents');
  const initial = incident.share_tlp.replace(/^TLP:/, '').toLowerCase();
  const [tlp, setTlp] = useState(TLPS.includes(initial) ? initial : 'amber');
  const share = useAction(async (level: string) => {
    const shared = await shareIncident(incident.id, level);
    onShared();
    return shared;
  });
  if (incident.indicators.length === 0 && incident.new_indicators.length === 0) return null;
  return (
    <section className="panel" data-testid="inc-share">
      <h2>{t('share')}</h2>
      <p>{t('shareHelp')}</p>
      <ul>
        {incident.new_indicators.map((indicator) => (
          <li key={indicator.pattern}>
            <ReadablePattern pattern={indicator.pattern} />
          </li>
        ))}
        {incident.indicators.map((id) => (
          <li key={id}>
            <code>{id}</code>
          </li>
        ))}
      </ul>
      <div className="inc-row">
        <select value={tlp} onChange={(e) => setTlp(e.target.value)} aria-label={t('fTlp')}>
          {TLPS.map((level) => (
            <option key={level} value={level}>
              TLP:{level.toUpperCase()}
            </option>
          ))}
        </select>
        <button type="button" disabled={share.pending} onClick={() => void share.run(tlp)}>
          {t('shareButton')}
        </button>
      </div>
      <AsyncView state={share.state}>
        {(shared) => <p role="status">{t('shared', { tlp: shared.tlp, count: shared.objects.length })}</p>}
      </AsyncView>
      {(incident.shares ?? []).map((entry) => (
        <p key={entry.at} className="inc-meta">
          {entry.tlp} · <When at={entry.at} /> · {entry.by}
        </p>
      ))}
    </section>
  );
}
