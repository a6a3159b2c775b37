import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Loading } from '../../ui/Loading';
import { useI18n, useT } from '../../i18n';
import { useSession } from '../../session';
import { useAsync } from '../../ui/useAsync';
import { getNationalCompetences, getRegister, putRegister, type Holder, type Register, type Training } from './api';

/** #/incidents/competences: the member's register and gaps; the coordinator's national coverage. */
export function CompetencesPage() {
  const session = useSession();
  const t = useT('incidents');
  const me = session.me;
  if (!me) return null;
  return (
    <>
      <section className="panel">
        <h1>{t('compTitle')}</h1>
        <p className="inc-meta">{t('privacy')}</p>
      </section>
      {me.role === 'member' || me.role === 'admin' ? <RegisterPanel code={me.organisation.code} /> : null}
      <NationalPanel />
    </>
  );
}

interface RoleRow {
  staff: string;
  serviceKind: '' | 'contracted' | 'shared';
  provider: string;
}

function rowsOf(register: Register): Record<string, RoleRow> {
  const rows: Record<string, RoleRow> = {};
  for (const profile of register.profiles) rows[profile.id] = { staff: '', serviceKind: '', provider: '' };
  for (const assignment of register.roles) {
    const staff = assignment.holders.filter((holder) => holder.kind === 'staff').map((holder) => holder.initials ?? '');
    const service = assignment.holders.find((holder) => holder.kind !== 'staff');
    rows[assignment.role] = {
      staff: staff.join(', '),
      serviceKind: service ? (service.kind as 'contracted' | 'shared') : '',
      provider: service?.provider ?? '',
    };
  }
  return rows;
}

function RegisterPanel({ code }: { code: string }) {
  const [state, retry] = useAsync((signal) => getRegister(code, signal), [code]);
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorMessage error={state.error} onRetry={retry} />;
  return <RegisterEditor key={state.data.version} register={state.data} onSaved={retry} />;
}

function RegisterEditor({ register, onSaved }: { register: Register; onSaved: () => void }) {
  const t = useT('incidents');
  const { lang } = useI18n();
  const [rows, setRows] = useState(() => rowsOf(register));
  const [trainings, setTrainings] = useState<Training[]>(register.trainings);
  const [draft, setDraft] = useState<Training>({ title: '', kind: 'management', date: '', participants: ['management'] });
  const [result, setResult] = useState<string | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const gapsByRole = new Map(register.gaps.roles.map((gap) => [gap.role, gap]));

  async function save(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    const roles = register.profiles
      .map((profile) => {
        const row = rows[profile.id];
        const holders: Holder[] = [];
        if (row) {
          for (const initials of row.staff.split(',').map((part) => part.trim()).filter(Boolean)) {
            holders.push({ initials, kind: 'staff' });
          }
          if (row.serviceKind && row.provider.trim()) holders.push({ kind: row.serviceKind, provider: row.provider.trim() });
        }
        return { role: profile.id, holders };
      })
      .filter((assignment) => assignment.holders.length > 0);
    try {
      const saved = await putRegister(register.org.code, { roles, trainings, version: register.version });
      setResult(t('saved', { version: saved.version }));
      onSaved();
    } catch (err) {
      setFailure(err instanceof ApiError ? err : new ApiError('invalid', String(err)));
    }
  }

  return (
    <section className="panel" data-testid="comp-register">
      <h2>
        {t('compMine')} — {register.org.name}
      </h2>
      <p>
        {t('band')}: {t(`band_${register.gaps.band}`)} · {t('score')}: {Math.round(register.gaps.score * 100)} % ·{' '}
        {register.gaps.management_training_current ? t('mgmtCurrent') : t('mgmtMissing')}
      </p>
      <p data-testid="comp-gaps">
        <strong>{t('gaps')}:</strong>{' '}
        {register.gaps.gaps.length === 0
          ? t('noGaps')
          : register.gaps.gaps.map((role) => register.profiles.find((p) => p.id === role)?.[lang] ?? role).join(', ')}
      </p>
      <form onSubmit={save} noValidate>
        <table className="inc-table">
          <thead>
            <tr>
              <th>{t('role')}</th>
              <th>
                {t('staff')} <small>{t('staffHint')}</small>
              </th>
              <th>{t('serviceKind')}</th>
              <th>{t('provider')}</th>
              <th>{t('coverage')}</th>
            </tr>
          </thead>
          <tbody>
            {register.profiles.map((profile) => {
              const row = rows[profile.id] ?? { staff: '', serviceKind: '', provider: '' };
              const gap = gapsByRole.get(profile.id);
              const update = (patch: Partial<RoleRow>) => setRows({ ...rows, [profile.id]: { ...row, ...patch } });
              return (
                <tr key={profile.id} data-role={profile.id} className={gap?.required ? 'inc-required' : undefined}>
                  <td title={lang === 'da' ? profile.description_da : profile.description_en}>
                    {profile[lang]}
                    {gap?.required ? <small> · {t('requiredRole')}</small> : null}
                  </td>
                  <td>
                    <input value={row.staff} onChange={(e) => update({ staff: e.target.value })} aria-label={`${profile[lang]}: ${t('staff')}`} />
                  </td>
                  <td>
                    <select
                      value={row.serviceKind}
                      onChange={(e) => update({ serviceKind: e.target.value as RoleRow['serviceKind'] })}
                      aria-label={`${profile[lang]}: ${t('serviceKind')}`}
                    >
                      <option value="">—</option>
                      <option value="contracted">contracted</option>
                      <option value="shared">shared</option>
                    </select>
                  </td>
                  <td>
                    <input value={row.provider} onChange={(e) => update({ provider: e.target.value })} aria-label={`${profile[lang]}: ${t('provider')}`} />
                  </td>
                  <td>
                    {gap ? t(`cov_${gap.coverage}`) : ''}
                    {gap?.single_person ? <span className="inc-badge inc-overdue"> {t('singlePerson')}</span> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <h3>{t('trainings')}</h3>
        <ul>
          {trainings.map((training, idx) => (
            <li key={`${training.title}-${training.date}-${idx}`}>
              {training.date} · {training.title} · {t(`tk_${training.kind}`)}{' '}
              <button type="button" className="inc-link" onClick={() => setTrainings(trainings.filter((_, i) => i !== idx))}>
                {t('remove')}
              </button>
            </li>
          ))}
        </ul>
        <div className="inc-row">
          <input placeholder={t('tTitle')} value={draft.title} onChange={(e) => setDraft({ ...draft, title: e.target.value })} />
          <select value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value as Training['kind'] })}>
            <option value="management">{t('tk_management')}</option>
            <option value="role">{t('tk_role')}</option>
            <option value="awareness">{t('tk_awareness')}</option>
          </select>
          <input type="date" value={draft.date} onChange={(e) => setDraft({ ...draft, date: e.target.value })} aria-label={t('tDate')} />
          <button
            type="button"
            disabled={!draft.title.trim() || !draft.date}
            onClick={() => {
              setTrainings([...trainings, { ...draft, participants: draft.kind === 'management' ? ['management'] : [] }]);
              setDraft({ title: '', kind: 'management', date: '', participants: ['management'] });
            }}
          >
            {t('addTraining')}
          </button>
        </div>
        {failure ? <ErrorMessage error={failure} /> : null}
        {result ? <p role="status">{result}</p> : null}
        <button type="submit">{t('save')}</button>
      </form>
      <details>
        <summary>{t('evidence')}</summary>
        <pre>{JSON.stringify(register.baseline_evidence, null, 2)}</pre>
      </details>
    </section>
  );
}

function NationalPanel() {
  const t = useT('incidents');
  const { lang } = useI18n();
  const [state, retry] = useAsync((signal) => getNationalCompetences(signal), []);
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorMessage error={state.error} onRetry={retry} />;
  const data = state.data;
  const name = (role: string) => data.profiles.find((profile) => profile.id === role)?.[lang] ?? role;
  return (
    <section className="panel" data-testid="comp-national">
      <h2>{t('compNational')}</h2>
      <p>
        {t('registers')}: {data.registers} · {t('mgmtCurrent')}: {data.management_training_current}
      </p>
      <table className="inc-table">
        <thead>
          <tr>
            <th>{t('role')}</th>
            <th>{t('covered')}</th>
            <th>{t('partly')}</th>
            <th>{t('missing')}</th>
            <th>{t('singlePerson')}</th>
          </tr>
        </thead>
        <tbody>
          {data.roles.map((row) => (
            <tr key={row.role}>
              <td>{name(row.role)}</td>
              <td>{row.covered}</td>
              <td>{row.partly}</td>
              <td>{row.missing}</td>
              <td>{row.single_person}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('suggestions')}</h3>
      {data.suggestions.length === 0 ? <p>{t('noSuggestions')}</p> : null}
      <ul data-testid="comp-suggestions">
        {data.suggestions.map((suggestion) => (
          <li key={`${suggestion.region.code}-${suggestion.role}`}>
            {t('suggestionText', { role: name(suggestion.role), region: suggestion.region.name, count: suggestion.count })}
            {suggestion.members ? ` (${suggestion.members.map((member) => member.name).join(', ')})` : ''}
          </li>
        ))}
      </ul>
      {data.single_person ? (
        <>
          <h3>{t('singlePersons')}</h3>
          <ul>
            {data.single_person.map((item) => (
              <li key={`${item.org.code}-${item.role}`}>
                {item.org.name}: {name(item.role)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
