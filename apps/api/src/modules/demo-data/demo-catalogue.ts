/**
 * Word lists for realistic-looking demo data. Insurer names and UZOVI codes resemble the Dutch market; practice
 * names, places and people are invented combinations, not real practices.
 */

/** Four-digit UZOVI codes with a rough market share, used to pick a patient's insurer. */
export const DEMO_INSURERS: readonly { uzovi: string; name: string; share: number }[] = [
  { uzovi: '3311', name: 'Zilveren Kruis Zorgverzekeringen', share: 28 },
  { uzovi: '3313', name: 'Zorg en Zekerheid', share: 5 },
  { uzovi: '3332', name: 'Menzis Zorgverzekeraar', share: 12 },
  { uzovi: '7095', name: 'VGZ Zorgverzekeraar', share: 24 },
  { uzovi: '8401', name: 'DSW Zorgverzekeraar', share: 7 },
  { uzovi: '9664', name: 'CZ Zorgverzekeringen', share: 24 },
];

/** Places per province: the province is the practice's region. */
export const PLACES_BY_PROVINCE: Readonly<Record<string, readonly string[]>> = {
  Groningen: ['Groningen', 'Hoogezand', 'Delfzijl', 'Winschoten'],
  Friesland: ['Leeuwarden', 'Sneek', 'Heerenveen', 'Drachten'],
  Drenthe: ['Assen', 'Emmen', 'Hoogeveen', 'Meppel'],
  Overijssel: ['Zwolle', 'Enschede', 'Deventer', 'Almelo', 'Hengelo'],
  Flevoland: ['Almere', 'Lelystad', 'Emmeloord'],
  Gelderland: ['Arnhem', 'Nijmegen', 'Apeldoorn', 'Ede', 'Doetinchem', 'Harderwijk'],
  Utrecht: ['Utrecht', 'Amersfoort', 'Zeist', 'Veenendaal', 'Nieuwegein'],
  'Noord-Holland': ['Amsterdam', 'Haarlem', 'Alkmaar', 'Hilversum', 'Zaandam', 'Hoorn', 'Den Helder'],
  'Zuid-Holland': ['Rotterdam', 'Den Haag', 'Leiden', 'Delft', 'Dordrecht', 'Gouda', 'Zoetermeer', 'Schiedam'],
  Zeeland: ['Middelburg', 'Vlissingen', 'Goes', 'Terneuzen'],
  'Noord-Brabant': ['Eindhoven', 'Tilburg', 'Breda', "'s-Hertogenbosch", 'Helmond', 'Oss', 'Roosendaal'],
  Limburg: ['Maastricht', 'Heerlen', 'Venlo', 'Roermond', 'Sittard', 'Weert'],
};

/** Population-weighted province choice, so the Randstad has more practices than Zeeland. */
export const PROVINCE_WEIGHTS: readonly (readonly [string, number])[] = [
  ['Groningen', 3.4],
  ['Friesland', 3.7],
  ['Drenthe', 2.8],
  ['Overijssel', 6.7],
  ['Flevoland', 2.5],
  ['Gelderland', 12.4],
  ['Utrecht', 7.9],
  ['Noord-Holland', 16.6],
  ['Zuid-Holland', 21.5],
  ['Zeeland', 2.2],
  ['Noord-Brabant', 14.6],
  ['Limburg', 6.4],
];

export const NEIGHBOURHOODS = [
  'Centrum', 'Noord', 'Zuid', 'Oost', 'West', 'De Hoven', 'Het Zand', 'De Linde', 'Parkwijk', 'De Meent',
  'Bosrand', 'Molenwijk', 'De Horst', 'Kerkebuurt', 'Westerpark',
] as const;

export const SURNAMES = [
  'de Vries', 'Jansen', 'van den Berg', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'de Groot',
  'Bos', 'Vos', 'Peters', 'Hendriks', 'van Dijk', 'Dekker', 'Brouwer', 'de Wit', 'Dijkstra', 'Smits',
  'van Leeuwen', 'Kok', 'Vermeulen', 'Postma',
] as const;

/** Physiotherapy practices (AGB codes starting 04) and exercise therapists, Cesar/Mensendieck (starting 84). */
export const PHYSIO_NAMES: readonly ((place: string, part: string, surname: string) => string)[] = [
  (place, part) => `Fysiotherapie ${place} ${part}`,
  (_place, _part, surname) => `Fysiotherapiepraktijk ${surname}`,
  (place) => `Paramedisch Centrum ${place}`,
  (place, part) => `Gezondheidscentrum ${part} ${place}`,
  (place) => `Longfysio ${place}`,
  (place, part) => `FysioPlus ${place}-${part}`,
];

export const EXERCISE_THERAPY_NAMES: readonly ((place: string, part: string, surname: string) => string)[] = [
  (place) => `Oefentherapie Cesar ${place}`,
  (_place, _part, surname) => `Mensendieck Oefentherapie ${surname}`,
  (place, part) => `Oefentherapie ${place} ${part}`,
];
