export type Messages = Record<string, string>;

export class Translator {
  constructor(
    private readonly messages: Record<string, Messages>,
    private locale: string,
    private readonly fallback = 'en',
  ) {}

  setLocale(locale: string): void {
    this.locale = locale;
  }

  t(key: string, params: Record<string, string | number> = {}): string {
    const template = this.messages[this.locale]?.[key] ?? this.messages[this.fallback]?.[key] ?? key;
    return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
  }

  plural(key: string, count: number): string {
    const form = new Intl.PluralRules(this.locale).select(count);
    return this.t(`${key}.${form}`, { count });
  }
}
