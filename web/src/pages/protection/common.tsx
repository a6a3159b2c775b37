/** Pieces the protection pages share: reason labels, organisation names, the field a refusal names. */
import { translateDynamic, useI18n, useT } from '../../i18n';
import type { ApiError, Organisation } from '../../api';

/**
 * A reason code from the hub ("below_confidence", "single_source") in the
 * current language; an unknown one is "another reason", never the raw code.
 */
export function useReasonLabel(): (prefix: 'reason' | 'monitor', code: string) => string {
  const { lang } = useI18n();
  const t = useT('protection');
  return (prefix, code) => translateDynamic(lang, `protection.${prefix}.${code}`) ?? t('reason.other');
}

/** Organisation names by code, falling back to the code. */
export function nameOf(orgs: ReadonlyMap<string, Organisation>, code: string): string {
  return orgs.get(code)?.name ?? code;
}

/** The field a hub error names ("allow.domains[2]: …" -> "allow.domains[2]"), or null. */
export function refusedField(error: ApiError): string | null {
  const match = /^([a-z_]+(?:\.[a-z_]+)?(?:\[\d+\])?):/.exec(error.serverMessage ?? '');
  return match?.[1] ?? null;
}
