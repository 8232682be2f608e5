import type { capacityEn } from './dashboard-capacity-en.js';

/** Las frases de la página de capacidad; mismas claves que `dashboard-capacity-en.ts`. */
export const capacityEs: typeof capacityEn = {
  title: 'Capacidad de préstamo',
  intro:
    'Cuántos equipos de préstamo necesita cada plantel, según su propio historial: los préstamos del día, calculados con el momento de más demanda de cada día escolar, y los equipos para los dispositivos en reparación, calculados para que un intercambio casi nunca se quede sin equipo.',
  history: 'Historial',
  historyDays: 'Últimos {{count}} días',
  serviceLevel: 'Solicitudes que atender',
  servicePercent: '{{percent}} % de las solicitudes',
  campus: 'Plantel',
  current: 'Equipos ahora',
  recommended: 'Necesarios',
  balance: 'Sobran o faltan',
  spare_one: 'Sobra {{count}}',
  spare_other: 'Sobran {{count}}',
  short_one: 'Falta {{count}}',
  short_other: 'Faltan {{count}}',
  even: 'Justo',
  dayLoans: 'Para préstamos del día',
  dayLoansDetail: 'el momento de más demanda promedia {{mean}}, {{top}} en los días de más demanda',
  swapLoans: 'Para reparaciones',
  swapLoansDetail: '{{away}} dispositivos fuera en promedio',
  shortDay: 'Probabilidad de un día corto',
  shortDayDetail: 'ahora {{now}}, con el plan {{plan}}',
  schoolDays_one: '{{count}} día escolar',
  schoolDays_other: '{{count}} días escolares',
  noCampuses: 'No hay planteles que mostrar.',
  moves: {
    title: 'Mover equipos sobrantes',
    intro: 'Los menos equipos que hay que mover para que cada plantel tenga lo que necesita.',
    move_one: 'Mover {{count}} equipo de {{from}} a {{to}}',
    move_other: 'Mover {{count}} equipos de {{from}} a {{to}}',
    none: 'No hace falta mover nada: ningún plantel tiene faltantes mientras otro tiene sobrantes.',
    unmet_one: 'Aun después de estos movimientos, al distrito le falta {{count}} equipo.',
    unmet_other: 'Aun después de estos movimientos, al distrito le faltan {{count}} equipos.',
    unused_one: 'Sobra {{count}} equipo que no se necesita en ningún plantel.',
    unused_other: 'Sobran {{count}} equipos que no se necesitan en ningún plantel.',
  },
  method: {
    title: 'Cómo se calcula',
    dayLoans:
      'Préstamos del día: para cada día escolar, la mayor cantidad de equipos prestados a la vez en un cuarto de hora. Esos picos diarios se ajustan a una distribución de Poisson (o binomial negativa si varían más), y el plan toma el nivel que cubre la proporción de días elegida.',
    swapLoans:
      'Reparaciones: la cantidad de equipos de intercambio prestados en promedio (averías por día por los días que tarda una reparación). Erlang B da la menor cantidad de equipos con la que los intercambios sin equipo quedan por debajo de la proporción elegida.',
    shortDay:
      'Un día corto: en el momento de más demanda, los préstamos del día y los dispositivos en reparación juntos superan a los equipos disponibles.',
    limits:
      'Los días escolares son los días de semana; todavía no se descuentan los feriados. Cada movimiento cuenta con el mismo costo.',
  },
};
