import { useI18n, useT } from '../../i18n';
import { useAsync } from '../../ui/useAsync';
import { getFeeds, type FeedSources } from './api';

type FeedSource = FeedSources['sources'][number];

const DAY = 86_400_000;

/**
 * How old a feed may be before the dashboard warns, in days, by feed kind.
 * NVD, CVE 5, the CISA KEV catalogue and FIRST EPSS are published daily; a
 * federation that fetches them daily is at most a day behind, so three days
 * leaves room for a weekend or a failed fetch and still warns before a week
 * of new vulnerabilities is missing. CSAF advisories come when vendors
 * publish them, so no age is stale for them.
 */
export const STALE_AFTER_DAYS: Readonly<Record<string, number>> = { nvd: 3, cve5: 3, kev: 3, epss: 3 };

/** The feed's own date (source_date), else when the hub applied it. */
function feedDate(source: FeedSource): string | null {
  return source.source_date || source.applied_at || null;
}

/** The sources older than their cadence allows, oldest first. */
export function staleSources(sources: readonly FeedSource[], now: number = Date.now()): FeedSource[] {
  return sources
    .filter((source) => {
      const limit = STALE_AFTER_DAYS[(source.kind || source.source).toLowerCase()];
      const date = feedDate(source);
      if (limit === undefined || !date) return false;
      const at = new Date(date).getTime();
      return !Number.isNaN(at) && now - at > limit * DAY;
    })
    .sort((a, b) => (feedDate(a) ?? '').localeCompare(feedDate(b) ?? ''));
}

/** A warning when vulnerability data is older than its feeds' cadence; nothing when it is fresh. */
export function StaleFeeds({ sources }: { sources: readonly FeedSource[] }) {
  const t = useT('vulnerabilities');
  const { formatDate, formatRelative } = useI18n();
  const stale = staleSources(sources);
  if (stale.length === 0) return null;
  return (
    <div className="stale-feeds" role="status" data-testid="stale-feeds">
      <strong>
        <span aria-hidden="true">⚠ </span>
        {t('feedsStaleTitle')}
      </strong>{' '}
      {t('feedsStale', {
        list: stale
          .map((s) => t('feedStaleItem', { source: s.source.toUpperCase(), date: formatDate(feedDate(s), 'date'), ago: formatRelative(feedDate(s)) }))
          .join(', '),
        days: STALE_AFTER_DAYS[(stale[0]!.kind || stale[0]!.source).toLowerCase()] ?? 3,
      })}
    </div>
  );
}

/** The stale-feed warning for a page that shows vulnerability data but not the feed list. */
export function FeedsFreshness() {
  const [state] = useAsync((signal) => getFeeds(signal), []);
  return state.status === 'ok' ? <StaleFeeds sources={state.data.sources} /> : null;
}
