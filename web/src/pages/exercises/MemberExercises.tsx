import { useT } from '../../i18n';
import { useSession } from '../../session';
import { AsyncView } from '../../ui/AsyncView';
import { useAsync } from '../../ui/useAsync';
import { listExercises } from './api';
import { RunDetail } from './RunDetail';
import { RunsTable } from './RunsTable';

/** A member's people: the runs their organisation takes part in, and each running one in full (injects, expected actions, the buttons). */
export function MemberExercises() {
  const t = useT('exercises');
  const { me } = useSession();
  const [list, retry] = useAsync((signal) => listExercises(signal), [me?.member]);
  return (
    <div className="exr-page" data-testid="exercises-member">
      <section className="panel" aria-labelledby="exr-title">
        <h1 id="exr-title">{t('title')}</h1>
        <p>{t('memberIntro')}</p>
        <p className="hint">{t('intro')}</p>
      </section>
      <section className="panel" aria-labelledby="exr-runs">
        <h2 id="exr-runs">{t('runsHeading')}</h2>
        <AsyncView state={list} retry={retry}>
          {(data) => <RunsTable runs={data.exercises} coordinator={false} empty={t('runsEmptyMember')} />}
        </AsyncView>
      </section>
      {list.status === 'ok'
        ? list.data.exercises
            .filter((run) => run.state === 'running')
            .map((run) => <RunDetail key={run.id} id={run.id} level={2} />)
        : null}
    </div>
  );
}
