import type { Language } from './index.js';

/**
 * The built-in loaner agreement, shown until a district sets its own text.
 * Plain words, one promise per paragraph, the same in both languages.
 */
export const defaultAgreement: Record<Language, readonly string[]> = {
  en: [
    'A loaner Chromebook belongs to the school district. I will take care of it the same way I take care of my own.',
    'I will bring it back to any locker station by the time the screen tells me, usually the end of the school day.',
    'I will not put stickers on it, take it apart, or lend it to anyone else.',
    'If it gets damaged or lost, I will tell a teacher or the library right away. My family may be asked to help pay for damage that was not an accident, as the district’s device policy says.',
    'The school may see how the Chromebook is used, just like any school device.',
  ],
  es: [
    'Una Chromebook prestada es del distrito escolar. La cuidaré igual que cuido la mía.',
    'La devolveré en cualquier estación de casilleros a la hora que me indique la pantalla, normalmente al final del día escolar.',
    'No le pondré calcomanías, no la desarmaré y no se la prestaré a nadie.',
    'Si se daña o se pierde, avisaré enseguida a un maestro o a la biblioteca. Es posible que se le pida a mi familia ayudar a pagar los daños que no sean accidentales, según la política de dispositivos del distrito.',
    'La escuela puede ver cómo se usa la Chromebook, igual que cualquier dispositivo escolar.',
  ],
};
