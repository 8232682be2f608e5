import { NativeSelect, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { personRoles } from '@cubby/core/enumerations';
import type { Person, PersonInput } from '@cubby/protocol/api';
import { useSites } from '../lists/reference.js';
import { FormDialog, type DialogChange } from '../settings/settings-ui.js';

export const grades = ['PK', 'K', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'] as const;

/** The form's fields as typed: text everywhere, empty for "none". */
export interface PersonFormValue {
  id: string | null;
  role: Person['role'];
  givenName: string;
  familyName: string;
  siteId: string;
  studentNumber: string;
  grade: string;
  externalId: string;
}

export const blankPerson = (siteId: string): PersonFormValue => ({
  id: null,
  role: 'student',
  givenName: '',
  familyName: '',
  siteId,
  studentNumber: '',
  grade: '',
  externalId: '',
});

export const personFormOf = (p: Person): PersonFormValue => ({
  id: p.id,
  role: p.role,
  givenName: p.givenName,
  familyName: p.familyName,
  siteId: p.siteId ?? '',
  studentNumber: p.studentNumber ?? '',
  grade: p.grade ?? '',
  externalId: p.externalId ?? '',
});

/** What the API takes: empty fields as null (a staff member has no grade). */
export function personInputOf(f: PersonFormValue): PersonInput {
  const orNull = (v: string) => (v.trim() === '' ? null : v.trim());
  return {
    role: f.role,
    givenName: f.givenName.trim(),
    familyName: f.familyName.trim(),
    siteId: f.siteId,
    studentNumber: orNull(f.studentNumber),
    grade: f.role === 'student' ? orNull(f.grade) : null,
    externalId: orNull(f.externalId),
  };
}

/** Add or edit one person by hand; the server checks it again (a taken student number, a campus not yours). */
export function PersonFormDialog({ change }: { change: DialogChange<PersonFormValue> }) {
  const { t } = useTranslation();
  const sites = useSites();
  const form = change.value;
  if (!form) return null;
  const set = (patch: Partial<PersonFormValue>) => change.setValue({ ...form, ...patch });
  const student = form.role === 'student';
  return (
    <FormDialog
      title={form.id ? t('person.editTitle', { name: `${form.givenName} ${form.familyName}` }) : t('person.addTitle')}
      submitLabel={t('app.save')}
      change={change}
    >
      {!form.id && (
        <NativeSelect
          label={t('people.role')}
          value={form.role}
          onChange={(e) => set({ role: e.currentTarget.value as Person['role'] })}
          data={personRoles.map((r) => ({ value: r, label: t(`people.roles.${r}`) }))}
        />
      )}
      <TextInput
        label={t('people.givenName')}
        required
        maxLength={100}
        value={form.givenName}
        onChange={(e) => set({ givenName: e.currentTarget.value })}
      />
      <TextInput
        label={t('people.familyName')}
        required
        maxLength={100}
        value={form.familyName}
        onChange={(e) => set({ familyName: e.currentTarget.value })}
      />
      <NativeSelect
        label={t('people.campus')}
        required
        value={form.siteId}
        onChange={(e) => set({ siteId: e.currentTarget.value })}
        data={[
          { value: '', label: t('person.noCampus'), disabled: true },
          ...(sites.data?.items ?? []).map((s) => ({ value: s.id, label: s.name })),
        ]}
      />
      <TextInput
        label={t('people.studentNumber')}
        required={student}
        maxLength={32}
        pattern="[A-Za-z0-9\-]{1,32}"
        value={form.studentNumber}
        onChange={(e) => set({ studentNumber: e.currentTarget.value })}
      />
      {student && (
        <NativeSelect
          label={t('people.grade')}
          value={form.grade}
          onChange={(e) => set({ grade: e.currentTarget.value })}
          data={[{ value: '', label: t('person.gradeNone') }, ...grades.map((g) => ({ value: g, label: g }))]}
        />
      )}
      <TextInput
        label={t('person.externalId')}
        maxLength={100}
        value={form.externalId}
        onChange={(e) => set({ externalId: e.currentTarget.value })}
      />
    </FormDialog>
  );
}
