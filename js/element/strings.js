// Every text <passwordless-login> shows, in English, French and Spanish (the languages the local
// tenant sends its messages in), one file each in ./strings/. `{name}` is a value filled in at
// the time (an address, a number of seconds); a page replaces any text with the element's
// `strings` property, and English stands in for a key a language lacks.
import { en } from "./strings/en.js";
import { es } from "./strings/es.js";
import { fr } from "./strings/fr.js";

export { en, es, fr };
export const languages = { en, fr, es };
