import { describe, expect, it } from 'vitest';
import { useKioskSuite } from './suite.js';
import { KioskPage } from './kiosk-page.js';

const suite = useKioskSuite();

describe('kiosk: Spanish', () => {
  it('a station set to Spanish greets, lends and refuses in Spanish, and English is one tap away', async () => {
    const kiosk = await suite.start({ kiosk: { language: 'es' }, stationName: 'Biblioteca' });
    const mia = await kiosk.aStudent({ givenName: 'Mía', badge: '4100084' });
    const page = await KioskPage.open(suite.browser, kiosk.url, 'es');
    await page.heading('Escanea tu credencial');
    expect(await page.page.evaluate('document.documentElement.lang')).toBe('es');
    await page.capture('idle');

    await page.scan('4100084');
    await page.heading('¡Hola, Mía!');
    await page.capture('menu');
    await page.tap(/Necesito una Chromebook prestada/);
    await page.heading('¿Por qué necesitas una Chromebook prestada?');
    await page.capture('reason');
    await page.tap(/Mi batería está descargada/);
    const door = Number(/casillero (\d+)/.exec(await page.heading(/El casillero \d+ está abierto/))![1]);
    expect(await page.text()).toContain('Saca la Chromebook y luego cierra la puerta.');
    await page.capture('door');
    kiosk.bank.take(door);
    kiosk.bank.closeDoor(door);
    await page.heading('¡Listo!');
    expect(await page.text()).toMatch(/Devuélvela (hoy|el \S+) a las 3:30 p\. ?m\./);
    await page.capture('done');
    await page.tap('Terminar');
    expect(await kiosk.loans(mia.personId)).toMatchObject([{ status: 'active', reason: 'dead_battery' }]);

    await page.scan('4100084');
    await page.heading('¡Hola, Mía!');
    // The loan limit is said on the menu, before any question (issue 12, item 10).
    const borrow = page.page.getByRole('button', { name: /Necesito una Chromebook prestada/ });
    expect(await borrow.isDisabled()).toBe(true);
    expect(await borrow.innerText()).toContain('Ya tienes una Chromebook prestada. Devuélvela primero.');
    await page.capture('loan-limit');

    // A student switches to English; the next one gets the station's Spanish again.
    await page.tap('English');
    await page.heading('Hi, Mía!');
    expect(await page.text()).toContain('You already have a loaner. Return it first.');
    expect(await page.page.evaluate('document.documentElement.lang')).toBe('en');
    await page.tap('Sign out');
    await page.heading('Escanea tu credencial');
    await page.scan('55555555');
    await page.page.getByRole('alert').filter({ hasText: 'No reconocemos esta credencial' }).waitFor();
    await page.capture('unknown-badge');
  });
});
