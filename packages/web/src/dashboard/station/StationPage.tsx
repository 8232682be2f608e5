import { Alert, Anchor, Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../api.js';
import type { GridCompartment, StationGrid } from '@cubby/protocol/api';
import { usePageTitle } from '../ui/page-title.js';
import { QueryState } from '../ui/QueryState.js';
import { CompartmentDetails } from './CompartmentDetails.js';
import { DoorCell } from './DoorCell.js';

/** One station's bank, drawn as its real grid of doors, with the selected door's details and actions. */
export function StationPage() {
  const { stationId = '' } = useParams();
  const grid = useQuery({
    queryKey: ['grid', stationId],
    queryFn: () => api<StationGrid>(`/stations/${encodeURIComponent(stationId)}/grid`),
  });
  return <QueryState query={grid}>{(data) => <StationBank grid={data} />}</QueryState>;
}

function StationBank({ grid }: { grid: StationGrid }) {
  const { t } = useTranslation();
  usePageTitle(grid.station.name);
  const [selected, setSelected] = useState<number | null>(null);
  const chosen: GridCompartment | undefined = grid.compartments.find((c) => c.number === selected);
  // Rows and columns may count from 0 or 1; the drawing starts at the first one used.
  const firstRow = Math.min(...grid.compartments.map((c) => c.row));
  const firstColumn = Math.min(...grid.compartments.map((c) => c.column));
  const columns = Math.max(grid.columns, ...grid.compartments.map((c) => c.column - firstColumn + 1));
  return (
    <Stack gap="md" data-page="station">
      <Anchor component={Link} to="/" c="blue.9" fw={600} w="fit-content">
        ← {t('station.back')}
      </Anchor>
      <Group justify="space-between" align="center">
        <Stack gap={0}>
          <Title order={1}>{grid.station.name}</Title>
          <Text c="gray.7">{t('station.campus', { name: grid.station.siteName })}</Text>
        </Stack>
        <Badge
          size="lg"
          color={grid.station.connected ? '#1b6e2f' : 'red.9'}
          variant="filled"
          data-connected={grid.station.connected}
        >
          {grid.station.connected ? t('overview.online') : t('overview.offline')}
        </Badge>
      </Group>
      {!grid.station.connected && (
        <Alert color="orange" variant="light">
          <Text c="dark.9">{t('station.stationOffline')}</Text>
        </Alert>
      )}
      <div className="station-layout">
        <Paper withBorder p="sm" component="section" aria-label={t('station.grid', { name: grid.station.name })}>
          <div className="bank" role="group" style={{ gridTemplateColumns: `repeat(${columns}, minmax(5.5rem, 1fr))` }}>
            {grid.compartments.map((c) => (
              <DoorCell
                key={c.id}
                compartment={c}
                selected={c.number === selected}
                onSelect={() => setSelected(c.number === selected ? null : c.number)}
                style={{ gridRow: c.row - firstRow + 1, gridColumn: c.column - firstColumn + 1 }}
              />
            ))}
          </div>
        </Paper>
        <Paper withBorder p="md" component="section" aria-labelledby="compartment-details" className="station-details">
          {chosen ? (
            <CompartmentDetails compartment={chosen} grid={grid} />
          ) : (
            <Text c="gray.7" id="compartment-details">
              {t('station.selectHint')}
            </Text>
          )}
        </Paper>
      </div>
    </Stack>
  );
}
