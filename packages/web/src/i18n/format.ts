/**
 * Helpers the catalogs use to build sentences: plurals by CLDR rules and bidi isolation of names.
 * They live apart from the React provider so catalogs stay plain data plus small functions.
 */

/** Plural variants keyed by CLDR category; `other` is always required, `#` is replaced by the number. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { readonly other: string };

export type Plural = (n: number, forms: PluralForms) => string;

export function pluralizer(locale: string): Plural {
  const rules = new Intl.PluralRules(locale);
  const numbers = new Intl.NumberFormat(locale);
  return (n, forms) => (forms[rules.select(n)] ?? forms.other).replaceAll("#", numbers.format(n));
}

export function numberFormatter(locale: string): (n: number) => string {
  const numbers = new Intl.NumberFormat(locale);
  return (n) => numbers.format(n);
}

/**
 * Wraps a user-provided string (a username, an organization name) in FIRST STRONG ISOLATE … POP
 * DIRECTIONAL ISOLATE, so an Arabic name in an English sentence (or the reverse) cannot reorder
 * the words around it.
 */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}
