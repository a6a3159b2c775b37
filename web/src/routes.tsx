/**
 * The route table: which page answers which address, and the main
 * navigation. Only App imports it; pages link with the helpers in nav.ts.
 */
import type { ComponentType, ReactNode } from 'react';
import type { MessageKey } from './i18n';
import type { PageProps, Route } from './nav';
import { BaselinePage } from './pages/baseline/BaselinePage';
import { ContactsPage } from './pages/contacts/ContactsPage';
import { DutyPage } from './pages/duty/DutyPage';
import { ExercisesPage } from './pages/exercises/ExercisesPage';
import { IncidentsPage } from './pages/incidents/IncidentsPage';
import { IndicatorsPage } from './pages/indicators/IndicatorsPage';
import { LoginPage } from './pages/login/LoginPage';
import { MemberPage } from './pages/member/MemberPage';
import { MembersPage } from './pages/members/MembersPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { NoticesPage } from './pages/notices/NoticesPage';
import { PosturePage } from './pages/posture/PosturePage';
import { OverviewPage } from './pages/overview/OverviewPage';
import { HomePage } from './pages/home/HomePage';
import { ProtectionPage } from './pages/protection/ProtectionPage';
import { RegisterPage } from './pages/register/RegisterPage';
import { RiskPage } from './pages/risk/RiskPage';
import { VulnerabilitiesPage } from './pages/vulnerabilities/VulnerabilitiesPage';

interface PageRoute {
  /** #/<id>/... */
  id: string;
  label: MessageKey;
  Page: ComponentType<PageProps>;
}

/** The pages beyond the overview and the member list, in the order of the navigation. */
const PAGES: readonly PageRoute[] = [
  { id: 'indicators', label: 'nav.indicators', Page: IndicatorsPage },
  { id: 'baseline', label: 'nav.baseline', Page: BaselinePage },
  { id: 'risk', label: 'nav.risk', Page: RiskPage },
  { id: 'vulnerabilities', label: 'nav.vulnerabilities', Page: VulnerabilitiesPage },
  { id: 'incidents', label: 'nav.incidents', Page: IncidentsPage },
  { id: 'protection', label: 'nav.protection', Page: ProtectionPage },
  { id: 'register', label: 'nav.register', Page: RegisterPage },
  { id: 'contacts', label: 'nav.contacts', Page: ContactsPage },
  { id: 'notices', label: 'nav.notices', Page: NoticesPage },
  { id: 'posture', label: 'nav.posture', Page: PosturePage },
  { id: 'duty', label: 'nav.duty', Page: DutyPage },
  { id: 'exercises', label: 'nav.exercises', Page: ExercisesPage },
];

export interface NavLink {
  id: string;
  href: string;
  label: MessageKey;
}

export const NAV_LINKS: readonly NavLink[] = [
  { id: 'overview', href: '#/', label: 'nav.overview' },
  { id: 'map', href: '#/map', label: 'nav.map' },
  { id: 'members', href: '#/members', label: 'nav.members' },
  ...PAGES.map((page) => ({ id: page.id, href: `#/${page.id}`, label: page.label })),
];

/** The navigation entry a route belongs to ('' for none). */
export function currentNav(route: Route): string {
  if (route.name === 'overview') return 'overview';
  if (route.name === 'page' && route.id === 'map') return 'map';
  if (route.name === 'members' || route.name === 'member') return 'members';
  if (route.name === 'page') return route.id;
  return '';
}

export function renderRoute(route: Route): ReactNode {
  switch (route.name) {
    case 'overview':
      return <HomePage />;
    case 'members':
      return <MembersPage initialQuery={route.query} />;
    case 'member':
      return <MemberPage key={route.code} code={route.code} />;
    case 'login':
      return <LoginPage token={route.token} />;
    case 'page': {
      if (route.id === 'map' && route.rest.length === 0) return <OverviewPage />;
      const page = PAGES.find((entry) => entry.id === route.id);
      return page ? <page.Page rest={route.rest} query={route.query} /> : <NotFoundPage />;
    }
    default:
      return <NotFoundPage />;
  }
}
