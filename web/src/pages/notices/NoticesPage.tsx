import { useT } from '../../i18n';
import type { PageProps } from '../../nav';
import { useSession } from '../../session';
import { SignInPrompt } from '../../ui/SignInPrompt';
import { MemberNotices } from './MemberNotices';
import { NationalNotices } from './NationalNotices';
import { NoticeDetail } from './NoticeDetail';
import './notices.css';

/**
 * #/notices: the signed-in member's outside reports (TLP:AMBER); for the
 * national coordinator the upload, the ingests and the blind spots.
 * #/notices/<code>: one member's reports; #/notices/<code>/<id>: one report
 * with its rows and status.
 */
export function NoticesPage({ rest, query }: PageProps) {
  const session = useSession();
  const t = useT('notices');
  if (!session.me) return <SignInPrompt title={t('title')} intro={t('intro')} link={t('signIn')} />;
  const [code, id] = rest;
  if (code && id) return <NoticeDetail key={`${code}/${id}`} code={code} id={id} />;
  if (code) return <MemberNotices key={code} code={code} query={query} path={`/notices/${encodeURIComponent(code)}`} />;
  if (session.me.coordinator) return <NationalNotices />;
  return <MemberNotices key={session.me.organisation.code} code={session.me.organisation.code} query={query} path="/notices" />;
}
