import type { SerialPort } from 'serialport';

/** Kerong boards ship at 19200 baud; some firmwares use 9600. */
export const defaultBaudRate = 19_200;

/**
 * Opens a serial device 8N1 (the only framing the CU boards speak) and resolves once it is open.
 * serialport is imported here, not at the top, so stations on the simulated bank (the demo,
 * the tests) never load its native binding.
 */
export async function openSerialPort(path: string, baudRate = defaultBaudRate): Promise<SerialPort> {
  const { SerialPort } = await import('serialport');
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, dataBits: 8, parity: 'none', stopBits: 1, autoOpen: false });
    port.open((error) => {
      if (error) reject(new Error(`cannot open serial device ${path}: ${error.message}`, { cause: error }));
      else resolve(port);
    });
  });
}

/** Closes the port if it is still open; never rejects (a device that vanished is closed already). */
export function closeSerialPort(port: SerialPort): Promise<void> {
  if (!port.isOpen) return Promise.resolve();
  return new Promise((resolve) => port.close(() => resolve()));
}
