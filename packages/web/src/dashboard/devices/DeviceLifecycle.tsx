import { Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { retireReasons, wipeMethods } from '@cubby/core/enumerations';
import type { Device } from '@cubby/protocol/api';
import { api } from '../api.js';
import { useDialogChange } from '../settings/settings-ui.js';
import { ChangeError, Dialog } from '../ui/Dialog.js';

type Step = 'wipe' | 'retire' | 'lost' | 'found';

/** Wipe, retire, lost, found (devices:write): which steps the device's status allows, one dialog with its method or reason. */
export function DeviceLifecycle({ device, refresh }: { device: Device; refresh: unknown[][] }) {
  const { t } = useTranslation();
  const url = `/devices/${encodeURIComponent(device.id)}`;
  const change = useDialogChange(
    (body: { step: Step; payload: Record<string, unknown> }) =>
      api<Device>(`${url}/${body.step}`, { method: 'POST', body: body.payload }),
    refresh,
  );
  const steps: Step[] = [
    ...(device.status === 'in_service' || device.status === 'in_repair' ? (['wipe'] as const) : []),
    ...(device.status === 'in_service' || device.status === 'on_loan' ? (['lost'] as const) : []),
    ...(device.status === 'lost' ? (['found'] as const) : []),
    ...(device.status !== 'retired' ? (['retire'] as const) : []),
  ];
  const [step, setStep] = useState<Step | null>(null);
  return (
    <>
      {steps.map((s) => (
        <Button key={s} variant="default" onClick={() => (setStep(s), change.open({ step: s, payload: {} }))}>
          {t(`device.lifecycle.${s}`)}
        </Button>
      ))}
      {change.value !== null && step !== null && <StepDialog step={step} assetTag={device.assetTag} change={change} />}
    </>
  );
}

function StepDialog({
  step,
  assetTag,
  change,
}: {
  step: Step;
  assetTag: string;
  change: ReturnType<typeof useDialogChange<{ step: Step; payload: Record<string, unknown> }, Device>>;
}) {
  const { t } = useTranslation();
  const [choice, setChoice] = useState<string | null>(
    step === 'wipe' ? wipeMethods[0] : step === 'retire' ? retireReasons[0] : null,
  );
  const [certificate, setCertificate] = useState('');
  const payload = payloadOf(step, choice, certificate);
  return (
    <Dialog opened onClose={change.close} title={t('device.lifecycle.title', { step: t(`device.lifecycle.${step}`), assetTag })}>
      <Stack gap="sm">
        <Text>{t(`device.lifecycle.explain.${step}`, { assetTag })}</Text>
        <ChangeError error={change.error} />
        <StepFields step={step} choice={choice} setChoice={setChoice} certificate={certificate} setCertificate={setCertificate} />
        <Group justify="flex-end">
          <Button variant="default" onClick={change.close}>
            {t('app.cancel')}
          </Button>
          <Button loading={change.pending} onClick={() => change.submitWith({ step, payload })}>
            {t(`device.lifecycle.${step}`)}
          </Button>
        </Group>
      </Stack>
    </Dialog>
  );
}

function payloadOf(step: Step, choice: string | null, certificate: string): Record<string, unknown> {
  if (step === 'wipe') return { method: choice };
  if (step === 'retire') return { reason: choice, ...(certificate.trim() ? { certificateRef: certificate.trim() } : {}) };
  return {};
}

/** A wipe's method, or a retirement's reason and certificate (one device's dialog, or the list's bulk one). */
export function StepFields({
  step,
  choice,
  setChoice,
  certificate,
  setCertificate,
}: {
  step: string;
  choice: string | null;
  setChoice(value: string | null): void;
  certificate: string;
  setCertificate(value: string): void;
}) {
  const { t } = useTranslation();
  return (
    <>
      {step === 'wipe' && (
        <Select
          label={t('device.lifecycle.method')}
          data={wipeMethods.map((m) => ({ value: m, label: t(`device.lifecycle.methods.${m}`) }))}
          value={choice}
          onChange={setChoice}
          allowDeselect={false}
        />
      )}
      {step === 'retire' && (
        <>
          <Select
            label={t('device.lifecycle.reason')}
            data={retireReasons.map((r) => ({ value: r, label: t(`device.lifecycle.reasons.${r}`) }))}
            value={choice}
            onChange={setChoice}
            allowDeselect={false}
          />
          <TextInput
            label={t('device.lifecycle.certificate')}
            value={certificate}
            onChange={(e) => setCertificate(e.currentTarget.value)}
          />
        </>
      )}
    </>
  );
}
