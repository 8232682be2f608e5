import { ActionIcon, Button, Fieldset, NumberInput, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChargingSettings as Settings } from '@cubby/protocol/api';
import { api } from '../api.js';
import { ChangeError } from '../ui/Dialog.js';
import { QueryState } from '../ui/QueryState.js';
import { SaveRow, useChange } from './settings-ui.js';

type Curve = Settings['estimate']['defaultCurve'];
const curveFields = ['fastUntilPercent', 'fastMinutes', 'slowMinutes'] as const;
const newCurve: Curve = { fastUntilPercent: 80, fastMinutes: 90, slowMinutes: 60 };

/**
 * How a loaner's charge is judged without a sensor (docs/hardware.md): the
 * level assumed when nothing measured it, how long a measurement is trusted,
 * and the charge curve, by model; and when a battery counts as worn
 * (docs/google.md).
 */
export function ChargingSettings() {
  const settings = useQuery({ queryKey: ['settings', 'charging'], queryFn: () => api<Settings>('/settings/charging') });
  return <QueryState query={settings}>{(data) => <ChargingForm initial={data} />}</QueryState>;
}

function ChargingForm({ initial }: { initial: Settings }) {
  const { t } = useTranslation();
  const [estimate, setEstimate] = useState(initial.estimate);
  const [wear, setWear] = useState(initial.batteryWear);
  // Models as rows while editing, so a half-typed model name keeps its place.
  const [models, setModels] = useState(Object.entries(initial.estimate.curves));
  const [saved, setSaved] = useState(false);
  const save = useChange(
    (body: Settings) => api<Settings>('/settings/charging', { method: 'PUT', body }),
    [['settings', 'charging']],
    () => setSaved(true),
  );
  const number = (label: string, value: number, set: (n: number) => void, hint?: string) => (
    <NumberInput label={label} description={hint} value={value} min={0} onChange={(v) => set(Number(v))} />
  );
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        setSaved(false);
        save.mutate({
          estimate: { ...estimate, curves: Object.fromEntries(models.map(([m, c]) => [m.trim(), c])) },
          batteryWear: wear,
        });
      }}
    >
      <Stack gap="lg" maw={760}>
        <Text>{t('settings.charging.intro')}</Text>
        <ChangeError error={save.error} />
        <Fieldset legend={t('settings.charging.estimate')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {number(t('settings.charging.defaultPercent'), estimate.defaultPercent, (n) =>
              setEstimate({ ...estimate, defaultPercent: n }),
            )}
            {number(
              t('settings.charging.reportedStaleMinutes'),
              estimate.reportedStaleMinutes,
              (n) => setEstimate({ ...estimate, reportedStaleMinutes: n }),
              t('settings.charging.reportedStaleHint'),
            )}
          </SimpleGrid>
        </Fieldset>
        <Fieldset legend={t('settings.charging.curves')}>
          <Stack gap="sm">
            <Text fz="sm" c="gray.7">
              {t('settings.charging.curvesIntro')}
            </Text>
            <CurveTable
              defaultCurve={estimate.defaultCurve}
              setDefault={(c) => setEstimate({ ...estimate, defaultCurve: c })}
              models={models}
              setModels={setModels}
            />
          </Stack>
        </Fieldset>
        <Fieldset legend={t('settings.charging.batteryWear')}>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {number(t('settings.charging.schoolDayHours'), wear.schoolDayHours, (n) => setWear({ ...wear, schoolDayHours: n }))}
            {number(t('settings.charging.ratedHours'), wear.ratedHours, (n) => setWear({ ...wear, ratedHours: n }))}
            {number(t('settings.charging.maxCycleCount'), wear.maxCycleCount, (n) => setWear({ ...wear, maxCycleCount: n }))}
          </SimpleGrid>
        </Fieldset>
        <SaveRow pending={save.isPending} saved={saved} />
      </Stack>
    </form>
  );
}

/** The default curve, then one row per model with its own; a model's name must match the devices' model. */
function CurveTable(props: {
  defaultCurve: Curve;
  setDefault: (c: Curve) => void;
  models: [string, Curve][];
  setModels: (m: [string, Curve][]) => void;
}) {
  const { t } = useTranslation();
  const { models, setModels } = props;
  const cells = (curve: Curve, set: (c: Curve) => void, row: string) =>
    curveFields.map((f) => (
      <Table.Td key={f}>
        <NumberInput
          aria-label={`${row}: ${t(`settings.charging.${f}`)}`}
          value={curve[f]}
          min={1}
          onChange={(v) => set({ ...curve, [f]: Number(v) })}
        />
      </Table.Td>
    ));
  const defaultLabel = t('settings.charging.defaultModel');
  return (
    <Stack gap="xs" align="flex-start">
      <div style={{ overflowX: 'auto', width: '100%' }}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('settings.charging.model')}</Table.Th>
              {curveFields.map((f) => (
                <Table.Th key={f}>{t(`settings.charging.${f}`)}</Table.Th>
              ))}
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            <Table.Tr>
              <Table.Td>{defaultLabel}</Table.Td>
              {cells(props.defaultCurve, props.setDefault, defaultLabel)}
              <Table.Td />
            </Table.Tr>
            {models.map(([model, curve], i) => {
              const put = (next: [string, Curve]) => setModels(models.map((m, j) => (j === i ? next : m)));
              const row = model || t('settings.charging.modelN', { n: i + 1 });
              return (
                <Table.Tr key={i}>
                  <Table.Td>
                    <TextInput
                      miw={200}
                      aria-label={t('settings.charging.modelN', { n: i + 1 })}
                      value={model}
                      onChange={(e) => put([e.currentTarget.value, curve])}
                    />
                  </Table.Td>
                  {cells(curve, (c) => put([model, c]), row)}
                  <Table.Td>
                    <ActionIcon
                      variant="subtle"
                      color="red.8"
                      aria-label={t('settings.charging.removeModel', { model: row })}
                      onClick={() => setModels(models.filter((_, j) => j !== i))}
                    >
                      ×
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </div>
      <Button variant="default" onClick={() => setModels([...models, ['', newCurve]])}>
        {t('settings.charging.addModel')}
      </Button>
    </Stack>
  );
}
