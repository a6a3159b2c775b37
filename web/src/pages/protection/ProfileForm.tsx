import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useI18n, useT, type ScopedKey } from '../../i18n';
import { AsyncView } from '../../ui/AsyncView';
import { useAction } from '../../ui/useAction';
import { ACTIONS, putProfile, VALUE_KINDS, type BlockAction, type Profile, type ProfileView, type ValueKind } from './api';
import { refusedField } from './common';

type Key = ScopedKey<'protection'>;

/** The label of each profile field the hub may name in a refusal. */
const FIELD_LABELS: Record<string, Key> = {
  monitor_only: 'f.mode',
  action: 'f.action',
  walled_garden: 'f.walledGarden',
  min_confidence: 'f.minConfidence',
  require_corroboration: 'f.corroboration',
  trusted_producers: 'f.trusted',
  kinds: 'f.kinds',
  collections: 'f.collections',
  max_entries: 'f.maxEntries',
  min_prefix_v4: 'f.minPrefixV4',
  min_prefix_v6: 'f.minPrefixV6',
  'allow.domains': 'f.allowDomains',
  'allow.networks': 'f.allowNetworks',
};

interface Draft {
  monitorOnly: boolean;
  action: BlockAction;
  walledGarden: string;
  minConfidence: string;
  corroboration: boolean;
  trusted: string;
  kinds: ValueKind[];
  collections: string;
  maxEntries: string;
  minPrefixV4: string;
  minPrefixV6: string;
  allowDomains: string;
  allowNetworks: string;
}

function draftOf(profile: Partial<Profile>): Draft {
  return {
    monitorOnly: profile.monitor_only !== false,
    action: profile.action ?? 'nxdomain',
    walledGarden: profile.walled_garden ?? '',
    minConfidence: String(profile.min_confidence ?? 70),
    corroboration: profile.require_corroboration !== false,
    trusted: (profile.trusted_producers ?? []).join(', '),
    kinds: profile.kinds ?? [...VALUE_KINDS],
    collections: (profile.collections ?? []).join(', '),
    maxEntries: String(profile.max_entries ?? 0),
    minPrefixV4: String(profile.min_prefix_v4 ?? 16),
    minPrefixV6: String(profile.min_prefix_v6 ?? 32),
    allowDomains: (profile.allow?.domains ?? []).join('\n'),
    allowNetworks: (profile.allow?.networks ?? []).join('\n'),
  };
}

const list = (text: string, separator: RegExp) =>
  text
    .split(separator)
    .map((item) => item.trim())
    .filter(Boolean);

interface NumberRule {
  field: keyof Draft;
  label: Key;
  min: number;
  max: number;
}

const NUMBERS: readonly NumberRule[] = [
  { field: 'minConfidence', label: 'f.minConfidence', min: 0, max: 100 },
  { field: 'maxEntries', label: 'f.maxEntries', min: 0, max: 10_000_000 },
  { field: 'minPrefixV4', label: 'f.minPrefixV4', min: 1, max: 32 },
  { field: 'minPrefixV6', label: 'f.minPrefixV6', min: 1, max: 128 },
];

/** The member's profile, editable by its own people: plain Danish labels, help under each field. */
export function ProfileForm({
  code,
  view,
  canWrite,
  onSaved,
}: {
  code: string;
  view: ProfileView;
  canWrite: boolean;
  onSaved: (view: ProfileView) => void;
}) {
  const t = useT('protection');
  const { lang } = useI18n();
  const id = useId();
  const [draft, setDraft] = useState<Draft>(() => draftOf(view.profile));
  const [invalid, setInvalid] = useState<{ field: keyof Draft; message: string } | null>(null);
  const save = useAction(async (profile: Partial<Profile>) => {
    const saved = await putProfile(code, profile);
    onSaved(saved);
    return saved;
  });
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((old) => ({ ...old, [key]: value }));
    setInvalid(null);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    for (const rule of NUMBERS) {
      const text = String(draft[rule.field]).trim();
      const value = Number(text);
      if (text === '' || !Number.isInteger(value) || value < rule.min || value > rule.max) {
        setInvalid({ field: rule.field, message: t('badNumber', { field: t(rule.label), min: rule.min, max: rule.max }) });
        document.getElementById(`${id}-${rule.field}`)?.focus();
        return;
      }
    }
    const profile: Partial<Profile> = {
      monitor_only: draft.monitorOnly,
      action: draft.action,
      min_confidence: Number(draft.minConfidence),
      require_corroboration: draft.corroboration,
      trusted_producers: list(draft.trusted, /[,\s]+/),
      kinds: draft.kinds,
      collections: list(draft.collections, /[,\s]+/),
      max_entries: Number(draft.maxEntries),
      min_prefix_v4: Number(draft.minPrefixV4),
      min_prefix_v6: Number(draft.minPrefixV6),
      allow: { domains: list(draft.allowDomains, /\n/), networks: list(draft.allowNetworks, /\n/) },
    };
    if (draft.action === 'walled-garden' || draft.walledGarden.trim() !== '') profile.walled_garden = draft.walledGarden.trim();
    void save.run(profile);
  };

  const field = (name: keyof Draft, label: Key, help: Key | null, control: (props: ControlProps) => ReactNode) => {
    const controlId = `${id}-${name}`;
    const describedBy = [help ? `${controlId}-help` : '', invalid?.field === name ? `${controlId}-error` : '']
      .join(' ')
      .trim();
    return (
      <div className="prot-field">
        <label htmlFor={controlId}>{t(label)}</label>
        {help ? (
          <span className="prot-help" id={`${controlId}-help`}>
            {t(help)}
          </span>
        ) : null}
        {control({
          id: controlId,
          'aria-describedby': describedBy || undefined,
          'aria-invalid': invalid?.field === name || undefined,
          disabled: !canWrite,
        })}
        {invalid?.field === name ? (
          <span className="prot-invalid" id={`${controlId}-error`} role="alert">
            {invalid.message}
          </span>
        ) : null}
      </div>
    );
  };

  return (
    <form className="prot-form" onSubmit={submit} noValidate data-testid="protection-profile">
      <p className="muted" data-testid="protection-profile-state">
        {view.stored ? t('profileVersion', { version: view.version }) : t('profileDefault')}
        {canWrite ? '' : ` ${t('profileReadOnly')}`}
      </p>

      <fieldset className="prot-fieldset" disabled={!canWrite}>
        <legend>{t('f.mode')}</legend>
        <label className="prot-choice">
          <input
            type="radio"
            name={`${id}-mode`}
            checked={draft.monitorOnly}
            onChange={() => set('monitorOnly', true)}
            aria-describedby={`${id}-monitor-help`}
            data-testid="mode-monitor"
          />
          <span>
            <strong>{t('f.monitorOnly')}</strong>
            <span className="prot-help" id={`${id}-monitor-help`}>
              {t('modeMonitorHelp')}
            </span>
          </span>
        </label>
        <label className="prot-choice">
          <input
            type="radio"
            name={`${id}-mode`}
            checked={!draft.monitorOnly}
            onChange={() => set('monitorOnly', false)}
            aria-describedby={`${id}-enforce-help`}
            data-testid="mode-enforce"
          />
          <span>
            <strong>{t('f.enforce')}</strong>
            <span className="prot-help" id={`${id}-enforce-help`}>
              {t('modeEnforceHelp')}
            </span>
          </span>
        </label>
      </fieldset>

      <div className="prot-grid">
        {field('action', 'f.action', 'f.actionHelp', (props) => (
          <select {...props} value={draft.action} onChange={(event) => set('action', event.target.value as BlockAction)}>
            {ACTIONS.map((action) => (
              <option key={action} value={action}>
                {t(`action.${action}`)}
              </option>
            ))}
          </select>
        ))}
        {draft.action === 'walled-garden'
          ? field('walledGarden', 'f.walledGarden', 'f.walledGardenHelp', (props) => (
              <input {...props} type="text" value={draft.walledGarden} onChange={(event) => set('walledGarden', event.target.value)} />
            ))
          : null}
        {field('minConfidence', 'f.minConfidence', 'f.minConfidenceHelp', (props) => (
          <input
            {...props}
            type="number"
            inputMode="numeric"
            min={0}
            max={100}
            value={draft.minConfidence}
            onChange={(event) => set('minConfidence', event.target.value)}
            data-testid="min-confidence"
          />
        ))}
        {field('trusted', 'f.trusted', 'f.trustedHelp', (props) => (
          <input
            {...props}
            type="text"
            value={draft.trusted}
            onChange={(event) => set('trusted', event.target.value)}
            spellCheck={false}
            data-testid="trusted-producers"
          />
        ))}
      </div>

      <div className="prot-field">
        <label className="prot-choice">
          <input
            type="checkbox"
            checked={draft.corroboration}
            disabled={!canWrite}
            onChange={(event) => set('corroboration', event.target.checked)}
            aria-describedby={`${id}-corroboration-help`}
          />
          <span>
            {t('f.corroboration')}
            <span className="prot-help" id={`${id}-corroboration-help`}>
              {t('f.corroborationHelp')}
            </span>
          </span>
        </label>
      </div>

      <fieldset className="prot-fieldset" disabled={!canWrite}>
        <legend>{t('f.kinds')}</legend>
        <div className="prot-checks">
          {VALUE_KINDS.map((kind) => (
            <label key={kind} className="prot-choice">
              <input
                type="checkbox"
                checked={draft.kinds.includes(kind)}
                onChange={(event) =>
                  set(
                    'kinds',
                    event.target.checked ? VALUE_KINDS.filter((k) => k === kind || draft.kinds.includes(k)) : draft.kinds.filter((k) => k !== kind),
                  )
                }
              />
              <span>{t(`kindOption.${kind}`)}</span>
            </label>
          ))}
        </div>
      </fieldset>

      <div className="prot-grid">
        {field('allowDomains', 'f.allowDomains', 'f.allowDomainsHelp', (props) => (
          <textarea {...props} rows={4} value={draft.allowDomains} spellCheck={false} onChange={(event) => set('allowDomains', event.target.value)} />
        ))}
        {field('allowNetworks', 'f.allowNetworks', 'f.allowNetworksHelp', (props) => (
          <textarea {...props} rows={4} value={draft.allowNetworks} spellCheck={false} onChange={(event) => set('allowNetworks', event.target.value)} />
        ))}
      </div>

      <details className="prot-details">
        <summary>{t('f.advanced')}</summary>
        <div className="prot-grid">
          {field('maxEntries', 'f.maxEntries', 'f.maxEntriesHelp', (props) => (
            <input {...props} type="number" inputMode="numeric" min={0} value={draft.maxEntries} onChange={(event) => set('maxEntries', event.target.value)} />
          ))}
          {field('minPrefixV4', 'f.minPrefixV4', 'f.minPrefixHelp', (props) => (
            <input {...props} type="number" inputMode="numeric" min={1} max={32} value={draft.minPrefixV4} onChange={(event) => set('minPrefixV4', event.target.value)} />
          ))}
          {field('minPrefixV6', 'f.minPrefixV6', 'f.minPrefixHelp', (props) => (
            <input {...props} type="number" inputMode="numeric" min={1} max={128} value={draft.minPrefixV6} onChange={(event) => set('minPrefixV6', event.target.value)} />
          ))}
          {field('collections', 'f.collections', 'f.collectionsHelp', (props) => (
            <input {...props} type="text" value={draft.collections} spellCheck={false} onChange={(event) => set('collections', event.target.value)} />
          ))}
        </div>
      </details>

      {canWrite ? (
        <div className="prot-actions">
          <button type="submit" disabled={save.pending} data-testid="profile-save">
            {save.pending ? t('saving') : t('save')}
          </button>
        </div>
      ) : null}
      <AsyncView
        state={save.state}
        loading={null}
        error={(error) => {
          const named = refusedField(error);
          const root = named?.replace(/\[\d+\]$/, '');
          const label = root && FIELD_LABELS[root] ? t(FIELD_LABELS[root]) : null;
          const line = named ? /\[(\d+)\]$/.exec(named) : null;
          return (
            <div className="error" role="alert" data-testid="profile-refused">
              <p>
                {label ? t('refusedField', { field: line ? `${label} (${Number(line[1]) + 1})` : label }) : t('refused')}
              </p>
              {/* The hub's own words are English: shown in English mode only. */}
              {lang === 'en' && error.serverMessage ? <p className="error-detail">{error.serverMessage}</p> : null}
            </div>
          );
        }}
      >
        {(saved) => (
          <p role="status" className="prot-ok" data-testid="profile-saved">
            {t('saved', { version: saved.version })}
          </p>
        )}
      </AsyncView>
    </form>
  );
}

interface ControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
  disabled: boolean;
}
