/**
 * The most recently sighted indicators with who sighted them, from the
 * indicators module's list and detail routes: the hub has no route that
 * answers sightings by member, so the newest sighted indicators are read one
 * by one (in parallel, at most SIGHTED_LIMIT).
 */
import { getIndicator, listIndicators, type IndicatorDetail } from '../indicators/api';

/** How many sighted indicators are read in detail. */
export const SIGHTED_LIMIT = 25;

export async function recentlySighted(signal: AbortSignal): Promise<IndicatorDetail[]> {
  const page = await listIndicators({ limit: 1000 }, signal);
  const sighted = page.items
    .filter((item) => (item.sightings.count ?? 0) > 0 && item.sightings.last_seen)
    .sort((a, b) => (b.sightings.last_seen ?? '').localeCompare(a.sightings.last_seen ?? ''))
    .slice(0, SIGHTED_LIMIT);
  return Promise.all(sighted.map((item) => getIndicator(item.id, signal)));
}

export type Sighting = IndicatorDetail['sightings']['visible'][number];

export function indicatorHref(id: string): string {
  return `#/indicators/${encodeURIComponent(id)}`;
}
