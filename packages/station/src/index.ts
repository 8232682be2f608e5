export { LockFault, isLockFault, type DoorState, type LockDriver, type LockDriverEvents } from './drivers/driver.js';
export { SimBank, type SimBankConfig, type SimCompartmentConfig, type SimDevice } from './drivers/sim.js';
export {
  SimAutopilot,
  type AutopilotAction,
  type AutopilotBank,
  type AutopilotMove,
  type SimAutopilotOptions,
  type UnlockedDoorSource,
} from './sim-autopilot.js';
export { linkUrl } from './link-url.js';
export {
  StationLink,
  type LinkRequest,
  type PolicySnapshot,
  type ServerNotice,
  type SetChargingCommand,
  type StationIdentity,
  type StationLinkEvents,
  type StationLinkOptions,
  type TransactionUpdate,
  type UnlockCommand,
} from './link.js';
export {
  StationAgent,
  type ActionResult,
  type AgentUpdate,
  type SignInResult,
  type StationAgentEvents,
  type StationAgentOptions,
  type StationStatus,
  type UnlockedDoor,
} from './agent.js';
export { OfflineJournal, type JournalRecord, type OfflineKeys } from './journal.js';
export { buildKioskApi, listenKioskApi, type KioskApiOptions, type KioskSettings } from './kiosk-api.js';
export { problemOf, statusOfCode, type Problem } from './kiosk-problems.js';
export { StationRequestError, isStationRequestError, stationErrorCodes, type StationErrorCode } from './request-error.js';
export { silentLogger, type Logger } from './logger.js';
export { TypedEmitter, type EventMap } from './typed-emitter.js';
export { defaultKioskPort, startStation, type RunningStation, type StartStationOptions } from './start.js';
export { KerongDriver, type KerongDriverOptions } from './drivers/kerong/driver.js';
export { BoardNotAnswering, BusClosed, KerongBus, type KerongBusOptions } from './drivers/kerong/bus.js';
export {
  BoardConfigError,
  loadBoardConfig,
  parseBoardConfig,
  type CompartmentWiring,
  type KerongBoardConfig,
} from './drivers/kerong/config.js';
export { boardTypes, type BoardType, type BoardTypeName } from './drivers/kerong/frames.js';
export { SimBoard, type SimBoardOptions } from './drivers/kerong/sim-board.js';
export { openSerialSimBank, serialSimWiring, type SerialSimBank } from './drivers/kerong/serial-sim.js';
export { enrollStation, stationCredential } from './enroll.js';
