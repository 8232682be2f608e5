import { assertNever } from './assert-never.js';
import type { Credential, KioskAction, NearbyStation, SignInView } from './api.js';
import { doorPhase, homeScreen, type KioskState, type PlainScreen } from './kiosk-state.js';
import { AssetTagScreen } from './screens/AssetTagScreen.js';
import { AgreementScreen } from './screens/AgreementScreen.js';
import { DoneScreen } from './screens/DoneScreen.js';
import { DoorScreen } from './screens/DoorScreen.js';
import { IdleScreen } from './screens/IdleScreen.js';
import { MenuScreen } from './screens/MenuScreen.js';
import { PinScreen } from './screens/PinScreen.js';
import { ProblemScreen } from './screens/ProblemScreen.js';
import { ReasonScreen, ReturnScreen, SymptomScreen } from './screens/Questions.js';
import { BankCheckScreen, TakeOutScreen, TechnicianScreen } from './screens/TechnicianScreen.js';
import { DoorServiceScreen, OpenDoorScreen, ServiceReasonScreen } from './screens/TechnicianDoorScreens.js';

export interface KioskScreenProps {
  state: KioskState;
  doneSecondsLeft: number;
  onNavigate: (screen: PlainScreen) => void;
  onSignIn: (credential: Credential) => void;
  onAction: (action: KioskAction) => void;
  onAccept: (then: KioskAction) => void;
  /** Technician mode: a locker picked to go out of service, or back in. */
  onPickServiceDoor: (compartment: number, outOfService: boolean) => void;
  onSignOut: () => void;
}

/** After a drop-off with no loaner here: where one is (an empty list: none anywhere). Else nothing to say. */
function loanersAfterDropOff(session: SignInView | null): NearbyStation[] | null {
  if (session?.choices.swap.refusedFor !== 'no_loaner_available') return null;
  return session.choices.dropOff.nearby ?? [];
}

/** The one screen the state machine is on. */
export function KioskScreen({
  state,
  doneSecondsLeft,
  onNavigate,
  onSignIn,
  onAction,
  onAccept,
  onPickServiceDoor,
  onSignOut,
}: KioskScreenProps) {
  const { screen, session, busy, notice } = state;
  switch (screen.name) {
    case 'idle':
      return <IdleScreen busy={busy} notice={notice} onUsePin={() => onNavigate('pin')} />;
    case 'pin':
      return <PinScreen busy={busy} notice={notice} onSubmit={(studentNumber, pin) => onSignIn({ studentNumber, pin })} />;
    case 'menu':
      return session && <MenuScreen session={session} busy={busy} onNavigate={onNavigate} onAction={onAction} />;
    case 'technician':
      return (
        session?.technician && (
          <TechnicianScreen session={session} menu={session.technician} busy={busy} onNavigate={onNavigate} onAction={onAction} />
        )
      );
    case 'takeOut':
      return <TakeOutScreen loanersHere={session?.technician?.loanersHere ?? 1} busy={busy} onAction={onAction} />;
    case 'restockTag':
      return <AssetTagScreen key="restock" kind="restock_loaners" busy={busy} onAction={onAction} />;
    case 'bankCheck':
      return (
        <BankCheckScreen
          differences={session?.technician?.differences ?? []}
          busy={busy}
          onAction={onAction}
          onNavigate={onNavigate}
        />
      );
    case 'openDoor':
      return (
        session?.technician && (
          <OpenDoorScreen
            compartments={state.compartments}
            menu={session.technician}
            busy={busy}
            onAction={onAction}
            onNavigate={onNavigate}
          />
        )
      );
    case 'doorService':
      return (
        session?.technician && (
          <DoorServiceScreen
            compartments={state.compartments}
            menu={session.technician}
            changed={screen.changed}
            busy={busy}
            onPick={onPickServiceDoor}
            onNavigate={onNavigate}
          />
        )
      );
    case 'serviceReason':
      return (
        <ServiceReasonScreen
          compartment={screen.compartment}
          outOfService={screen.outOfService}
          busy={busy}
          onAction={onAction}
          onNavigate={onNavigate}
        />
      );
    case 'placeTag':
      return <AssetTagScreen key="place" kind="place_for_pickup" busy={busy} onAction={onAction} />;
    case 'reason':
      return <ReasonScreen busy={busy} onAction={onAction} />;
    case 'symptom':
      return <SymptomScreen kind="swap" busy={busy} onAction={onAction} />;
    case 'dropOff':
      return <SymptomScreen kind="drop_off" busy={busy} onAction={onAction} />;
    case 'return':
      return session && <ReturnScreen busy={busy} session={session} onAction={onAction} />;
    case 'agreement':
      return (
        <AgreementScreen
          busy={busy}
          text={session?.agreement}
          onAccept={() => onAccept(screen.then)}
          onDecline={() => onNavigate(homeScreen(session))}
        />
      );
    case 'door':
      // Keyed by door, so the heading takes focus again (and is announced) at each new door.
      return (
        <DoorScreen
          key={`${screen.step}-${screen.transaction.compartment}`}
          step={screen}
          phase={doorPhase(state, screen)}
          compartments={state.compartments}
        />
      );
    case 'done':
      return (
        <DoneScreen
          transaction={screen.transaction}
          compartment={screen.compartment}
          secondsLeft={doneSecondsLeft}
          loanersNearby={loanersAfterDropOff(session)}
          onFinish={onSignOut}
        />
      );
    case 'problem':
      return <ProblemScreen problem={screen.problem} onMenu={() => onNavigate(homeScreen(session))} onSignOut={onSignOut} />;
    default:
      return assertNever(screen);
  }
}
