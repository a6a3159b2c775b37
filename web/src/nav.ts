/**
 * The hash router's address side: parsing `#/...` into a Route, links, and
 * navigation. It imports no page, so every page may import it; the route
 * table that maps a Route to a page lives in routes.tsx.
 */
import { useEffect, useState } from 'react';

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Routes of the dashboard, addressed by the URL hash (e.g. `#/members/0101`). */
export type Route =
  | { name: 'overview' }
  | { name: 'members'; query: URLSearchParams }
  | { name: 'member'; code: string }
  | { name: 'login'; token: string | null }
  | { name: 'page'; id: string; rest: string[]; query: URLSearchParams }
  | { name: 'not_found'; path: string };

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [pathPart = '', queryPart = ''] = raw.split('?', 2);
  const segments = pathPart.split('/').filter((s) => s.length > 0);
  const query = new URLSearchParams(queryPart);

  if (segments.length === 0) return { name: 'overview' };
  if (segments[0] === 'members') {
    if (segments.length === 1) return { name: 'members', query };
    if (segments.length === 2 && segments[1] !== undefined) {
      let code = segments[1];
      try {
        code = decodeURIComponent(code);
      } catch {
        // Keep the raw segment; the hub will answer 404 for it.
      }
      return { name: 'member', code };
    }
  }
  if (segments[0] === 'login') {
    return { name: 'login', token: segments[1] !== undefined ? decode(segments[1]) : null };
  }
  if (segments[0] !== undefined) {
    return { name: 'page', id: decode(segments[0]), rest: segments.slice(1).map(decode), query };
  }
  return { name: 'not_found', path: pathPart };
}

export function memberHref(code: string): string {
  return `#/members/${encodeURIComponent(code)}`;
}

export function membersHref(query?: Record<string, string>): string {
  const params = new URLSearchParams(query);
  const qs = params.toString();
  return qs ? `#/members?${qs}` : '#/members';
}

export function navigate(href: string): void {
  window.location.hash = href.replace(/^#/, '');
}

let lastMembers = '#/members';

/** The member list as last filtered, so "back" links keep the user's filters. */
export function lastMembersHref(): string {
  return lastMembers;
}

/** Updates the hash query without adding a history entry or re-rendering the route. */
export function replaceQuery(path: string, query: URLSearchParams): void {
  const qs = query.toString();
  const hash = qs ? `#${path}?${qs}` : `#${path}`;
  if (path === '/members') lastMembers = hash;
  if (window.location.hash !== hash) {
    window.history.replaceState(window.history.state, '', hash);
  }
}

export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** What a page under `#/<id>/...` receives from the route. */
export interface PageProps {
  /** Path segments after #/<id>/, decoded. */
  rest: string[];
  query: URLSearchParams;
}
