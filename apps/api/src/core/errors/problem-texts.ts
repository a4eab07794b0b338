import { localizeViolation, type MessageLanguage, type Violation } from '@copd/domain';

/**
 * The English of the problem `detail` texts the API writes in Dutch (services say what went wrong in Dutch, the
 * users' language): the exact sentences, then patterns for those that carry a value. The field errors in
 * `errors` are translated by code from the catalogue (libs/domain messages.ts), not here.
 */
const EXACT_EN: Readonly<Record<string, string>> = {
  'Het verzoek bevat ongeldige of ontbrekende velden; zie "errors".': 'The request has invalid or missing fields; see "errors".',
  'Het verzoek is niet geldig.': 'The request is not valid.',
  'De patiënt kan niet worden ingeschreven; zie "errors".': 'The patient cannot be enrolled; see "errors".',
  'De wijziging van de inschrijving is niet geldig; zie "errors".': 'The change of the enrolment is not valid; see "errors".',
  'De behandeling is niet geldig; zie "errors".': 'The session is not valid; see "errors".',
  'De meting is niet geldig; zie "errors".': 'The measurement is not valid; see "errors".',
  'De gebeurtenis is niet geldig; zie "errors".': 'The event is not valid; see "errors".',
  'De correctie is niet opgeslagen: de behandeling is niet geldig; zie "errors".':
    'The correction was not saved: the session is not valid; see "errors".',
  'De correctie is niet opgeslagen: de meting is niet geldig; zie "errors".':
    'The correction was not saved: the measurement is not valid; see "errors".',
  'De correctie is niet opgeslagen: de gebeurtenis is niet geldig; zie "errors".':
    'The correction was not saved: the event is not valid; see "errors".',
  'Geen enkele behandeling is opgeslagen; zie "errors".': 'No session was saved; see "errors".',
  'Er is niets gewijzigd: een correctie of verwijdering heeft een reden nodig; zie "errors".':
    'Nothing was changed: a correction or deletion needs a reason; see "errors".',
  'Er staat al een behandeling van deze soort op deze datum. Verwijder een van beide in plaats van te corrigeren.':
    'A session of this kind is already recorded on this date. Delete one of the two instead of correcting.',
  'Er staat al een meting met dit instrument op deze datum. Corrigeer die meting, of verwijder een van beide.':
    'A measurement with this instrument is already recorded on this date. Correct that measurement, or delete one of the two.',
  'Er staat al een gebeurtenis van deze soort op deze datum. Verwijder een van beide in plaats van te corrigeren.':
    'An event of this kind is already recorded on this date. Delete one of the two instead of correcting.',
  'De behandeling is intussen verwijderd; stuur het verzoek opnieuw.': 'The session was deleted meanwhile; send the request again.',
  'De meting is intussen verwijderd; stuur het verzoek opnieuw.': 'The measurement was deleted meanwhile; send the request again.',
  'De gebeurtenis is intussen verwijderd; stuur het verzoek opnieuw.': 'The event was deleted meanwhile; send the request again.',
  'Het contract is niet geldig; zie "errors".': 'The contract is not valid; see "errors".',
  'Meld u aan om dit te gebruiken.': 'Sign in to use this.',
  'Uw rol heeft geen toegang tot deze functie.': 'Your role has no access to this function.',
  'Onjuiste gebruikersnaam of wachtwoord.': 'Wrong user name or password.',
  'De gebruiker is niet geldig; zie "errors".': 'The user is not valid; see "errors".',
  'Het wachtwoord is niet gewijzigd; zie "errors".': 'The password was not changed; see "errors".',
  'Alleen een aangemelde gebruiker kan een wachtwoord wijzigen, niet een API-token.':
    'Only a signed-in user can change a password, not an API token.',
  'Het verzoek is te groot. Splits het document in kleinere delen.': 'The request is too large. Split the document into smaller parts.',
  'De inhoud is geen geldige JSON. Controleer het bestand of het formulier.': 'The content is not valid JSON. Check the file or the form.',
  'Alleen UTF-8 wordt ondersteund. Stuur de gegevens als "Content-Type: application/json; charset=utf-8".':
    'Only UTF-8 is supported. Send the data as "Content-Type: application/json; charset=utf-8".',
  'Stuur de gegevens als JSON, met "Content-Type: application/json".': 'Send the data as JSON, with "Content-Type: application/json".',
  'Het verzoek kon niet worden gelezen (afgebroken of onvolledig). Stuur het opnieuw.':
    'The request could not be read (aborted or incomplete). Send it again.',
  'Het verzoek kon niet worden gelezen. Controleer het adres en de inhoud en stuur het opnieuw.':
    'The request could not be read. Check the address and the content and send it again.',
  'Dit adres bestaat niet in de API. Zie /api/docs voor de beschikbare routes.':
    'This address does not exist in the API. See /api/docs for the available routes.',
  'Het adres bevat een ongeldige %-codering. Controleer de link.': 'The address contains an invalid %-encoding. Check the link.',
  'Het id in het adres is geen geldig id (een UUID zoals 0b9c3f1e-8d2a-4c6b-9f1e-2a3b4c5d6e7f). Controleer de link.':
    'The id in the address is not a valid id (a UUID such as 0b9c3f1e-8d2a-4c6b-9f1e-2a3b4c5d6e7f). Check the link.',
  'Er ging iets mis aan onze kant; er is niets opgeslagen. Probeer het later opnieuw of meld het ons.':
    'Something went wrong on our side; nothing was saved. Try again later or report it to us.',
  'Uw wijziging is opgeslagen, maar het antwoord kon niet worden gemaakt. Vernieuw de pagina om het resultaat te zien en stuur de wijziging niet opnieuw.':
    'Your change was saved, but the answer could not be made. Refresh the page to see the result and do not send the change again.',
  'De wachtrij is nu niet bereikbaar; probeer het zo opnieuw.': 'The queue cannot be reached now; try again shortly.',
  'Een of meer filters verwijzen naar iets dat niet bestaat.': 'One or more filters refer to something that does not exist.',
  // The CSV/FHIR import (modules/interchange, issue 15).
  'De upload kon niet worden gelezen (geen geldig multipart-formulier). Kies de bestanden opnieuw en probeer het nog eens.':
    'The upload could not be read (not a valid multipart form). Choose the files again and try once more.',
  'Stuur de bestanden als formulier met bijlagen (multipart/form-data), in het veld "files".':
    'Send the files as a form with attachments (multipart/form-data), in the field "files".',
  'Het verzenden werd afgebroken voordat het bestand compleet was.': 'The upload was broken off before the file was complete.',
  'FHIR-import is nog niet beschikbaar in deze versie.': 'FHIR import is not available in this version yet.',
  'De bestanden of de koppeling zijn veranderd sinds de proefimport. Doe de proefimport opnieuw; er is niets opgeslagen.':
    'The files or the mapping changed since the dry run. Do the dry run again; nothing was saved.',
  'De koppeling (mapping) is niet geldig; zie "errors". Er is niets opgeslagen.': 'The mapping is not valid; see "errors". Nothing was saved.',
  'Kies een of meer bestanden om te importeren.': 'Choose one or more files to import.',
  'Kies het formaat van de bestanden: csv of fhir.': 'Choose the format of the files: csv or fhir.',
  'Kies de soort gegevens van het CSV-bestand: patients, sessions, measurements of events.':
    'Choose the kind of data of the CSV file: patients, sessions, measurements or events.',
  'Bevestig met de controlecode (digest) van de proefimport; doe eerst een proefimport.':
    'Confirm with the digest of the dry run; do a dry run first.',
};

const PATTERNS_EN: readonly [RegExp, (m: RegExpExecArray) => string][] = [
  [
    /^Het bestand is geweigerd: (\d+) fout(?:en)? gevonden\. Er is niets opgeslagen; zie "errors"\.$/,
    (m) => `The file was refused: ${m[1]} ${m[1] === '1' ? 'error' : 'errors'} found. Nothing was saved; see "errors".`,
  ],
  [
    /^(\d+) (?:regel noemt|regels noemen) een andere praktijk dan de uwe; u kunt alleen voor uw eigen praktijk importeren\. Er is niets opgeslagen; zie "errors"\.$/,
    (m) => `${m[1]} ${m[1] === '1' ? 'row names' : 'rows name'} another practice than yours; you can only import for your own practice. Nothing was saved; see "errors".`,
  ],
  // notFound(resource, id) in app-error.ts: the resource is named in English already ('Patient', 'Session').
  [/^([A-Za-z]+) (\S+) bestaat niet\.$/, (m) => `${m[1]} ${m[2]} does not exist.`],
  [
    /^Praktijk (\d{8}) heeft in dit experiment al een patiënt met nummer \(ref\) (.*)\.$/,
    (m) => `Practice ${m[1]} already has a patient with number (ref) ${m[2]} in this experiment.`,
  ],
];

/**
 * A problem's detail in the language: Dutch as written; English from the list above, else, when the problem has
 * field errors (which are translated), a general English sentence pointing to them; else the Dutch as written
 * rather than nothing.
 */
export function detailIn(detail: string, lang: MessageLanguage, hasErrors: boolean): string {
  if (lang === 'nl') return detail;
  const exact = EXACT_EN[detail];
  if (exact) return exact;
  for (const [pattern, english] of PATTERNS_EN) {
    const match = pattern.exec(detail);
    if (match) return english(match);
  }
  return hasErrors ? 'The request was refused; see "errors" for each reason.' : detail;
}

/** The field errors of a problem in the language, by code (messages of unknown codes stay as written). */
export function errorsIn<V extends Violation>(errors: readonly V[], lang: MessageLanguage): V[] {
  return lang === 'nl' ? [...errors] : errors.map((v) => localizeViolation(v, lang));
}
