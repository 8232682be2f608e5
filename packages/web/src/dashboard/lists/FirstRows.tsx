import { Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Row } from '../types.js';
import { renderCell, type ColumnDef } from './list-def.js';
import { useRenderContext } from './reference.js';

/** The first rows of a list, with the list's own columns and renderers (a campus's loaners, a person's loans). */
export function FirstRows({
  rows,
  columns,
  labelledBy,
  shown,
}: {
  rows: Row[];
  columns: ColumnDef[];
  labelledBy: string;
  /** Rows shown; a list asked for one more says there are more. */
  shown: number;
}) {
  const { t } = useTranslation();
  const context = useRenderContext();
  return (
    <>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby={labelledBy}>
        <Table striped verticalSpacing="xs" miw={640} data-rows={Math.min(rows.length, shown)}>
          <Table.Thead>
            <Table.Tr>
              {columns.map((col) => (
                <Table.Th key={col.key} scope="col" ta={col.align}>
                  {t(col.label)}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.slice(0, shown).map((row, i) => (
              <Table.Tr key={String(row.id ?? i)}>
                {columns.map((col) => (
                  <Table.Td key={col.key} ta={col.align}>
                    {renderCell(col, row, context)}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
      {rows.length > shown && (
        <Text c="gray.7" fz="sm" mt="xs">
          {t('campus.more', { n: shown })}
        </Text>
      )}
    </>
  );
}
