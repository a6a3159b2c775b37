import { useI18n, type MessageKey } from '../i18n';

/** The STIX object paths a plain reader knows, by the words for them. */
const PATHS: Record<string, MessageKey> = {
  'ipv4-addr:value': 'pattern.ipv4',
  'ipv6-addr:value': 'pattern.ipv6',
  'domain-name:value': 'pattern.domain',
  'url:value': 'pattern.url',
  'email-addr:value': 'pattern.email',
  "file:hashes.'SHA-256'": 'pattern.sha256',
  'file:hashes.SHA256': 'pattern.sha256',
  "file:hashes.'SHA-1'": 'pattern.sha1',
  "file:hashes.'MD5'": 'pattern.md5',
  'file:hashes.MD5': 'pattern.md5',
  'file:name': 'pattern.fileName',
  'autonomous-system:number': 'pattern.asn',
};

const COMPARISON = /\[\s*([\w-]+:[\w.'-]+)\s*=\s*'((?:[^'\\]|\\.)*)'\s*\]/g;

/**
 * The parts of a STIX pattern a person can read: each `[path = 'value']`
 * comparison of a kind this dashboard has words for. Null when the pattern
 * holds anything else (other operators, qualifiers), so it is never
 * described as less than it is.
 */
export function readPattern(pattern: string): { path: string; value: string }[] | null {
  const parts: { path: string; value: string }[] = [];
  const rest = pattern.replace(COMPARISON, (_whole, path: string, value: string) => {
    parts.push({ path, value: value.replace(/\\(.)/g, '$1') });
    return ' OR ';
  });
  if (parts.length === 0 || rest.replace(/\bOR\b/g, '').trim() !== '') return null;
  return parts.every((part) => PATHS[part.path] !== undefined) ? parts : null;
}

/**
 * An indicator's STIX pattern in plain words ("IP-adresse 1.2.3.4"), with the
 * pattern itself one click away; a pattern with no plain reading is shown as
 * it is.
 */
export function ReadablePattern({ pattern }: { pattern: string }) {
  const { t } = useI18n();
  const parts = readPattern(pattern);
  if (!parts) return <code className="ind-pattern">{pattern}</code>;
  return (
    <span className="readable-pattern">
      {parts.map((part, idx) => (
        <span key={idx}>
          {idx > 0 ? ` ${t('pattern.or')} ` : null}
          {t(PATHS[part.path]!)} <code>{part.value}</code>
        </span>
      ))}
      <details className="readable-pattern-detail">
        <summary>{t('pattern.show')}</summary>
        <code className="ind-pattern">{pattern}</code>
      </details>
    </span>
  );
}
