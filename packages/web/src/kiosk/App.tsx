import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { isLanguage, setLanguage, type Language } from '../i18n/index.js';
import { asProblem, kioskApi, type Credential, type KioskAction, type SignInView, type StationView } from './api.js';
import { initialState, kioskReducer, needsAgreement, type KioskEvent, type ProblemView } from './kiosk-state.js';
import { CampusTimeZone } from './campus-time.js';
import { KioskFrame } from './KioskFrame.js';
import { KioskScreen } from './KioskScreen.js';
import { defaultScanOptions, handTypedScanOptions, useScanner } from './scanner.js';
import { useStationEvents } from './station-events.js';
import { useCountdown, useInactivity } from './timers.js';

/** The station's kiosk settings with the screen's own defaults filled in. */
interface KioskSettings {
  language: Language;
  idleSignOutSeconds: number;
  doneSignOutSeconds: number;
}

const defaults: KioskSettings = { language: 'en', idleSignOutSeconds: 20, doneSignOutSeconds: 6 };

function settingsOf(kiosk: StationView['kiosk']): KioskSettings {
  const seconds = (value: unknown, fallback: number) => (typeof value === 'number' && value > 0 ? value : fallback);
  return {
    language: isLanguage(kiosk?.language) ? kiosk.language : defaults.language,
    idleSignOutSeconds: seconds(kiosk?.idleSignOutSeconds, defaults.idleSignOutSeconds),
    doneSignOutSeconds: seconds(kiosk?.doneSignOutSeconds, defaults.doneSignOutSeconds),
  };
}

/** The doors a bank check will open: every door but those out of service or held by a visit. */
function lookableDoors(doors: number, menu: SignInView['technician']): number {
  return Math.max(1, doors - (menu?.outOfServiceDoors?.length ?? 0) - (menu?.busyDoors?.length ?? 0));
}

const problemOf = (error: unknown): ProblemView => {
  const problem = asProblem(error);
  return {
    code: problem.code,
    nearby: problem.nearby,
    ...problem.refusal,
    ...(problem.compartment !== undefined ? { compartment: problem.compartment } : {}),
    at: Date.now(),
  };
};

/** The kiosk: wires the pure state machine to the agent's API, its events, the scanner and the timers. */
export function App() {
  const [state, dispatchState] = useReducer(kioskReducer, initialState);
  const [settings, setSettings] = useState<KioskSettings>(defaults);
  const current = useRef(state);
  current.current = state;
  // Counts pushed transaction updates, so a poll answer older than a push is dropped.
  const pushes = useRef(0);
  const dispatch = useCallback((event: KioskEvent) => {
    if (event.type === 'transaction') pushes.current += 1;
    dispatchState(event);
  }, []);

  useEffect(() => {
    let stopped = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const load = async (): Promise<void> => {
      try {
        const station = await kioskApi.station();
        if (stopped) return;
        dispatch({ type: 'station', station });
        const loaded = settingsOf(station.kiosk);
        setSettings(loaded);
        setLanguage(loaded.language);
        // A reload in the middle of someone's visit starts clean.
        if (station.signedIn) await kioskApi.signOut().catch(() => undefined);
      } catch {
        retry = setTimeout(load, 3000);
      }
    };
    void load();
    return () => {
      stopped = true;
      clearTimeout(retry);
    };
  }, [dispatch]);

  useStationEvents(dispatch);

  const signOut = useCallback(
    (notice?: ProblemView) => {
      dispatch(notice ? { type: 'signed_out', notice } : { type: 'signed_out' });
      setLanguage(settings.language);
      void kioskApi.signOut().catch(() => undefined);
    },
    [dispatch, settings.language],
  );

  const signIn = async (credential: Credential): Promise<void> => {
    if (current.current.busy) return;
    dispatch({ type: 'busy' });
    try {
      dispatch({ type: 'signed_in', session: await kioskApi.signIn(credential) });
    } catch (error) {
      // A refused sign-in ends any earlier session on the agent, so end it here too.
      if (current.current.session) signOut(problemOf(error));
      else dispatch({ type: 'refused', problem: problemOf(error) });
    }
  };

  /** How many doors a technician's many-door act will open, as far as the kiosk knows. */
  const doorsOf = (action: KioskAction): number | undefined =>
    action.kind === 'take_loaners_out'
      ? Math.min(action.count, current.current.session?.technician?.loanersHere ?? action.count)
      : action.kind === 'technician_collect'
        ? current.current.session?.technician?.awaitingCollection
        : action.kind === 'bank_check_doors'
          ? lookableDoors(current.current.compartments.length, current.current.session?.technician)
          : undefined;

  const start = async (action: KioskAction, agreed = false): Promise<void> => {
    if (!agreed && needsAgreement(current.current.session, action)) {
      dispatch({ type: 'agreement_needed', then: action });
      return;
    }
    dispatch({ type: 'busy' });
    try {
      const result = await kioskApi.act(action);
      if (result.transaction) dispatch({ type: 'started', transaction: result.transaction, doors: doorsOf(action) });
      else if (action.kind === 'technician_door_service')
        dispatch({ type: 'service_changed', compartment: action.compartment, outOfService: action.outOfService });
      else dispatch({ type: 'navigate', screen: 'menu' });
    } catch (error) {
      const problem = problemOf(error);
      if (problem.code === 'agreement_required') dispatch({ type: 'agreement_needed', then: action });
      else dispatch({ type: 'refused', problem });
    }
  };

  const accept = async (then: KioskAction): Promise<void> => {
    dispatch({ type: 'busy' });
    try {
      await kioskApi.act({ kind: 'accept_agreement' });
    } catch (error) {
      dispatch({ type: 'refused', problem: problemOf(error) });
      return;
    }
    dispatch({ type: 'agreement_accepted' });
    await start(then, true);
  };

  /** A badge signs its owner in (even over someone who forgot to sign out); a loaner's sticker returns it. */
  const onScan = (value: string): void => {
    const { screen, session } = current.current;
    const loan = session?.loans.find((l) => l.assetTag.toUpperCase() === value.toUpperCase());
    if (loan || (screen.name === 'return' && session)) void start({ kind: 'return', assetTag: loan?.assetTag ?? value });
    else void signIn({ badge: value });
  };
  const screenName = state.screen.name;
  useScanner(
    // Not on the technician menu: a device's tag scanned there by habit would be read as a badge and sign them out.
    !state.busy && (screenName === 'idle' || screenName === 'menu' || screenName === 'return'),
    onScan,
    screenName === 'idle' ? handTypedScanOptions : defaultScanOptions,
  );

  const doorId = state.screen.name === 'door' ? state.screen.transaction.id : null;
  useEffect(() => {
    if (!doorId) return;
    // Events carry every change; polling covers a dropped event stream.
    const poll = setInterval(() => {
      const seen = pushes.current;
      kioskApi.transaction(doorId).then(
        (transaction) => {
          if (pushes.current === seen) dispatchState({ type: 'transaction', transaction });
        },
        () => undefined,
      );
    }, 2000);
    return () => clearInterval(poll);
  }, [doorId]);

  useEffect(() => {
    if (screenName !== 'idle' || !state.notice) return;
    const clear = setTimeout(() => dispatch({ type: 'signed_out' }), 10_000);
    return () => clearTimeout(clear);
  }, [screenName, state.notice, dispatch]);

  const watching = state.session !== null && screenName !== 'door' && screenName !== 'done' && !state.busy;
  const idleLeft = useInactivity(watching, settings.idleSignOutSeconds, () => signOut());
  const doneLeft = useCountdown(screenName === 'done', settings.doneSignOutSeconds, () => signOut());
  const warnAt = Math.min(8, Math.ceil(settings.idleSignOutSeconds / 2));

  return (
    <CampusTimeZone.Provider value={state.timeZone ?? undefined}>
      <KioskFrame
        state={state}
        warnSeconds={watching && idleLeft <= warnAt ? idleLeft : null}
        onNavigate={(screen) => dispatch({ type: 'navigate', screen })}
        onSignOut={() => signOut()}
      >
        <KioskScreen
          state={state}
          doneSecondsLeft={doneLeft}
          onNavigate={(screen) => dispatch({ type: 'navigate', screen })}
          onSignIn={(credential) => void signIn(credential)}
          onAction={(action) => void start(action)}
          onAccept={(then) => void accept(then)}
          onPickServiceDoor={(compartment, outOfService) => dispatch({ type: 'pick_service_door', compartment, outOfService })}
          onSignOut={() => signOut()}
        />
      </KioskFrame>
    </CampusTimeZone.Provider>
  );
}
