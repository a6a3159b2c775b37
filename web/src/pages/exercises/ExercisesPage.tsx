import { useT } from '../../i18n';
import type { PageProps } from '../../nav';
import { useSession } from '../../session';
import { SignInPrompt } from '../../ui/SignInPrompt';
import { CoordinatorExercises } from './CoordinatorExercises';
import { MemberExercises } from './MemberExercises';
import { RunDetail } from './RunDetail';
import './exercises.css';

/**
 * #/exercises: for a coordinator every run, the start form, stop and the
 * after-action reports; for a member's people the runs their organisation
 * takes part in, with what was delivered to them, what is expected of them
 * and the buttons to record what they did. #/exercises/<id>: one run.
 */
export function ExercisesPage({ rest }: PageProps) {
  const session = useSession();
  const t = useT('exercises');
  if (!session.me) return <SignInPrompt title={t('title')} intro={t('intro')} link={t('signIn')} />;
  const [id] = rest;
  if (id) return <RunDetail key={id} id={id} level={1} />;
  if (session.me.coordinator) return <CoordinatorExercises />;
  return <MemberExercises />;
}
