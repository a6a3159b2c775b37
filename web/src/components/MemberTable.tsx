import type { MouseEvent } from 'react';
import type { Organisation } from '../api';
import { useI18n } from '../i18n';
import { memberHref, navigate } from '../router';

export function MemberTable({ members }: { members: readonly Organisation[] }) {
  const { t, kindLabel, regionLabel, formatNumber } = useI18n();

  const openRow = (code: string) => (e: MouseEvent<HTMLTableRowElement>) => {
    // The name cell holds a real link; let it (and modifier clicks) behave normally.
    if (e.target instanceof Element && e.target.closest('a')) return;
    navigate(memberHref(code));
  };

  return (
    <div className="table-wrap">
      <table className="member-table" data-testid="member-table">
        <thead>
          <tr>
            <th scope="col">{t('members.col.code')}</th>
            <th scope="col">{t('members.col.name')}</th>
            <th scope="col">{t('members.col.kind')}</th>
            <th scope="col">{t('members.col.region')}</th>
            <th scope="col" className="num">
              {t('members.col.population')}
            </th>
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.code} data-code={m.code} data-region={m.region_code ?? ''} data-kind={m.kind} onClick={openRow(m.code)}>
              <td className="code">{m.code}</td>
              <td>
                <a href={memberHref(m.code)}>{m.name}</a>
              </td>
              <td>{kindLabel(m.kind)}</td>
              <td>{m.region_code || m.region_name ? regionLabel(m.region_code, m.region_name) : t('common.none')}</td>
              <td className="num">{m.population === null ? t('common.none') : formatNumber(m.population)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {members.length === 0 ? <p className="empty">{t('members.empty')}</p> : null}
    </div>
  );
}
