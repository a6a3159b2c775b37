/** The hub's exercises API (/api/v1/exercises/…, docs/exercise.md), typed from the OpenAPI document. */
import { apiUrl, openDocument, requestJson, shaped, type RequestOf, type Schemas } from '../../api';

export type ExerciseText = Schemas['ExerciseText'];
export type ExerciseRun = Schemas['ExerciseRun'];
export type ExerciseList = Schemas['ExerciseList'];
export type ExerciseInject = Schemas['ExerciseInject'];
export type ExerciseAction = Schemas['ExerciseAction'];
export type ExerciseAssessment = Schemas['ExerciseAssessment'];
export type ExerciseScenario = Schemas['ExerciseScenarios']['scenarios'][number];
export type RunState = ExerciseRun['state'];
export type ActionKind = ExerciseAction['what'];
export type InjectKind = ExerciseInject['kind'];
export type Outcome = ExerciseAssessment['outcome'];
export type StartRequest = RequestOf<'/api/v1/exercises', 'post'>;

/** The actions a participant records, in the order a real incident asks for them. */
export const ACTION_KINDS = [
  'acknowledge',
  'decide',
  'early_warning',
  'notification',
  'final_report',
] as const satisfies readonly ActionKind[];

/** The speeds the start form offers (scenario seconds per real second; the hub allows 1–3600). */
export const SPEEDS = [1, 60, 600, 3600] as const;

const parseList = shaped<ExerciseList>('exercises', (b) => Array.isArray(b['exercises']));
const parseRun = shaped<ExerciseRun>('exercise', (b) => typeof b['id'] === 'string' && typeof b['state'] === 'string');

export function listExercises(signal?: AbortSignal): Promise<ExerciseList> {
  return requestJson('GET', apiUrl('api/v1/exercises'), parseList, { signal });
}

export function listScenarios(signal?: AbortSignal): Promise<ExerciseScenario[]> {
  const parse = shaped<Schemas['ExerciseScenarios']>('scenarios', (b) => Array.isArray(b['scenarios']));
  return requestJson('GET', apiUrl('api/v1/exercises/scenarios'), (body) => parse(body).scenarios, { signal });
}

export function startExercise(request: StartRequest): Promise<ExerciseRun> {
  return requestJson('POST', apiUrl('api/v1/exercises'), parseRun, { body: request });
}

function runUrl(id: string, rest = ''): string {
  return apiUrl(`api/v1/exercises/${encodeURIComponent(id)}${rest}`);
}

/** A run with what the caller may see of it: delivered injects, actions and expected actions. */
export function getExercise(id: string, signal?: AbortSignal): Promise<ExerciseRun> {
  return requestJson('GET', runUrl(id), parseRun, { signal });
}

export function recordAction(id: string, what: ActionKind, note: string): Promise<ExerciseAction> {
  const body: Schemas['ExerciseActionRequest'] = note ? { what, note } : { what };
  return requestJson(
    'POST',
    runUrl(id, '/actions'),
    shaped<ExerciseAction>('exercise action', (b) => typeof b['what'] === 'string'),
    { body },
  );
}

export function stopExercise(id: string): Promise<ExerciseRun> {
  return requestJson('POST', runUrl(id, '/stop'), parseRun);
}

/** The printable after-action report (HTML, Danish first), fetched with the member's token and opened in a new tab. */
export function openReport(id: string): Promise<void> {
  return openDocument(apiUrl(`api/v1/exercises/${encodeURIComponent(id)}/report`, { format: 'html' }));
}

export function exerciseHref(id?: string): string {
  return id ? `#/exercises/${encodeURIComponent(id)}` : '#/exercises';
}
