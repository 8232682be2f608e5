import { Button, Stack, TextInput } from '@mantine/core';
import { useEffect, useRef, useState, type FormEvent, type MouseEvent } from 'react';
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
  const numberRef = useRef<HTMLInputElement>(null);
  // A physical keyboard or keypad types into the student number at once, no Tab first.
  useEffect(() => numberRef.current?.focus({ preventScroll: true }), []);
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
      <ScreenTitle size="h2" takeFocus={false}>
        {t('pin.title')}
      </ScreenTitle>
      <form onSubmit={submit} className="pin-form">
        <Stack gap="md" className="pin-fields">
          <TextInput
            size="xl"
            ref={numberRef}
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
          {/* Its room is kept empty, so a refusal appearing moves nothing (the keypad stays under the finger). */}
          <div className="pin-notice">{notice && <Notice problem={notice} />}</div>
        </Stack>
        <Keypad
          onKey={type}
          busy={busy}
          submitLabel={active === 'pin' ? t('pin.signIn') : t('pin.next')}
          canSubmit={active === 'pin' ? ready : values.studentNumber.length > 0}
        />
      </form>
    </Stack>
  );
}

/** The on-screen keys; a tap leaves focus in the field, so a physical keyboard can go on typing there. */
function Keypad({
  onKey,
  busy,
  submitLabel,
  canSubmit,
}: {
  onKey: (key: string) => void;
  busy: boolean;
  submitLabel: string;
  canSubmit: boolean;
}) {
  const { t } = useTranslation();
  const keepFocus = (event: MouseEvent): void => event.preventDefault();
  return (
    <div role="group" aria-label={t('pin.keypad')} className="keypad">
      {keys.map((k) => (
        <Button key={k} size="xl" variant="default" className="key" onMouseDown={keepFocus} onClick={() => onKey(k)}>
          {k}
        </Button>
      ))}
      <Button
        size="xl"
        variant="default"
        className="key"
        onMouseDown={keepFocus}
        onClick={() => onKey('delete')}
        aria-label={t('pin.delete')}
      >
        <Icon name="delete" />
      </Button>
      <Button size="xl" variant="default" className="key" onMouseDown={keepFocus} onClick={() => onKey('0')}>
        0
      </Button>
      <Button size="xl" className="key" type="submit" onMouseDown={keepFocus} loading={busy} disabled={!canSubmit}>
        {submitLabel}
      </Button>
    </div>
  );
}
