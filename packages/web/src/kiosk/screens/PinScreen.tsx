import { Button, Stack, TextInput } from '@mantine/core';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../ui/icons.js';
import { ScreenTitle } from '../../ui/ScreenTitle.js';
import type { ProblemView } from '../kiosk-state.js';
import { Notice } from './Notice.js';

export interface PinScreenProps {
  busy: boolean;
  notice: ProblemView | null;
  onSubmit: (studentNumber: string, pin: string) => void;
}

type Field = 'studentNumber' | 'pin';
const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/** Student number + PIN, with an on-screen keypad (a physical keyboard works too). */
export function PinScreen({ busy, notice, onSubmit }: PinScreenProps) {
  const { t } = useTranslation();
  const [values, setValues] = useState<Record<Field, string>>({ studentNumber: '', pin: '' });
  const [active, setActive] = useState<Field>('studentNumber');
  const pinRef = useRef<HTMLInputElement>(null);
  const max: Record<Field, number> = { studentNumber: 32, pin: 8 };

  const type = (key: string): void =>
    setValues((v) => ({ ...v, [active]: key === 'delete' ? v[active].slice(0, -1) : (v[active] + key).slice(0, max[active]) }));
  const submit = (event?: FormEvent): void => {
    event?.preventDefault();
    if (busy) return;
    if (active === 'studentNumber' || !values.pin) {
      if (!values.studentNumber) return;
      setActive('pin');
      pinRef.current?.focus();
      return;
    }
    onSubmit(values.studentNumber.trim(), values.pin);
    setValues((v) => ({ ...v, pin: '' }));
  };
  const ready = values.studentNumber.length > 0 && values.pin.length >= 4;

  return (
    <Stack gap="lg" className="screen pin">
      <ScreenTitle size="h2">{t('pin.title')}</ScreenTitle>
      {notice && <Notice problem={notice} />}
      <form onSubmit={submit} className="pin-form">
        <Stack gap="md" className="pin-fields">
          <TextInput
            size="xl"
            label={t('pin.studentNumber')}
            value={values.studentNumber}
            onChange={(e) => {
              const studentNumber = e.currentTarget.value.slice(0, 32);
              setValues((v) => ({ ...v, studentNumber }));
            }}
            onFocus={() => setActive('studentNumber')}
            data-active={active === 'studentNumber' || undefined}
            autoComplete="off"
            inputMode="none"
            className="pin-field"
          />
          <TextInput
            size="xl"
            type="password"
            label={t('pin.pin')}
            ref={pinRef}
            value={values.pin}
            onChange={(e) => {
              const pin = e.currentTarget.value.replace(/\D/g, '').slice(0, 8);
              setValues((v) => ({ ...v, pin }));
            }}
            onFocus={() => setActive('pin')}
            data-active={active === 'pin' || undefined}
            autoComplete="off"
            inputMode="none"
            className="pin-field"
          />
        </Stack>
        <div role="group" aria-label={t('pin.keypad')} className="keypad">
          {keys.map((k) => (
            <Button key={k} size="xl" variant="default" className="key" onClick={() => type(k)}>
              {k}
            </Button>
          ))}
          <Button size="xl" variant="default" className="key" onClick={() => type('delete')} aria-label={t('pin.delete')}>
            <Icon name="delete" />
          </Button>
          <Button size="xl" variant="default" className="key" onClick={() => type('0')}>
            0
          </Button>
          <Button
            size="xl"
            className="key"
            type="submit"
            loading={busy}
            disabled={active === 'pin' ? !ready : !values.studentNumber}
          >
            {active === 'pin' ? t('pin.signIn') : t('pin.next')}
          </Button>
        </div>
      </form>
    </Stack>
  );
}
