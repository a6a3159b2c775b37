import type { MouseEvent } from 'react';
import type { Organisation } from '../../api';
import { useI18n } from '../../i18n';
import { memberHref, navigate } from '../../nav';
import { DataTable } from '../../ui/DataTable';

export function MemberTable({ members }: { members: readonly Organisation[] }) {
  const { t, kindLabel, regionLabel } = useI18n();

  const openRow = (code: string) => (e: MouseEvent<HTMLTableRowElement>) => {
    // The name cell holds a real link; let it (and modifier clicks) behave normally.
    if (e.target instanceof Element && e.target.closest('a, button')) return;
    navigate(memberHref(code));
  };

  return (
    <DataTable
      rows={members}
      rowKey={(m) => m.code}
      className="member-table"
      testId="member-table"
      ariaLabel={t('members.heading')}
      empty={t('members.empty')}
      rowProps={(m) => ({ 'data-code': m.code, 'data-region': m.region_code ?? '', 'data-kind': m.kind, onClick: openRow(m.code) })}
      columns={[
        { id: 'code', header: t('members.col.code'), value: (m) => m.code, className: 'code' },
        { id: 'name', header: t('members.col.name'), value: (m) => m.name, cell: (m) => <a href={memberHref(m.code)}>{m.name}</a> },
        { id: 'kind', header: t('members.col.kind'), value: (m) => kindLabel(m.kind) },
        {
          id: 'region',
          header: t('members.col.region'),
          value: (m) => (m.region_code || m.region_name ? regionLabel(m.region_code, m.region_name) : null),
        },
        { id: 'population', header: t('members.col.population'), value: (m) => m.population, format: 'number', numeric: true },
      ]}
    />
  );
}
