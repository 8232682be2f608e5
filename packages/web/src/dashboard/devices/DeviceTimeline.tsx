import { Button, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { DeviceTimeline as Timeline } from '@cubby/protocol/api';
import { api, queryString } from '../api.js';
import { auditSentence } from '../lists/audit-sentence.js';
import { useRenderContext } from '../lists/reference.js';
import { formatDateTime } from '../ui/format.js';
import { QueryState } from '../ui/QueryState.js';

/** The device's history from the audit trail, in the audit log's own sentences and each event's campus time. */
export function DeviceTimeline({ deviceId }: { deviceId: string }) {
  const { t } = useTranslation();
  const ctx = useRenderContext();
  const timeline = useInfiniteQuery({
    queryKey: ['device', deviceId, 'timeline'],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api<Timeline>(`/devices/${encodeURIComponent(deviceId)}/timeline${queryString({ limit: 50, cursor: pageParam })}`),
    getNextPageParam: (last) => last.nextCursor,
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="device-timeline" data-timeline>
      <Title order={2} fz="h3" id="device-timeline">
        {t('device.timeline')}
      </Title>
      <Text c="gray.7" fz="sm" mb="sm">
        {t('device.timelineHint')}
      </Text>
      <QueryState query={timeline}>
        {(data) => {
          const events = data.pages.flatMap((p) => p.items);
          if (events.length === 0) return <Text c="gray.7">{t('device.noEvents')}</Text>;
          return (
            <Stack gap="sm">
              <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="device-timeline">
                <Table striped verticalSpacing="xs" miw={560}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('audit.at')}</Table.Th>
                      <Table.Th scope="col">{t('audit.what')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {events.map((e) => (
                      <Table.Tr key={e.seq} data-event={e.action}>
                        <Table.Td className="nowrap">{formatDateTime(ctx.language, e.at, e.timeZone)}</Table.Td>
                        <Table.Td>{auditSentence(t, e)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </div>
              {timeline.hasNextPage && (
                <Button
                  variant="default"
                  w="fit-content"
                  loading={timeline.isFetchingNextPage}
                  onClick={() => void timeline.fetchNextPage()}
                >
                  {t('device.more')}
                </Button>
              )}
            </Stack>
          );
        }}
      </QueryState>
    </Paper>
  );
}
