import parsePrometheusTextFormat, { type PromFamily } from 'parse-prometheus-text-format';

/** One scrape of a /metrics URL, parsed by a Prometheus text-format parser (not by our own code). */
export interface Scrape {
  status: number;
  contentType: string | null;
  families: PromFamily[];
  /** the text as served */
  text: string;
  /** the value of one series (the sum over series whose labels include `labels`); undefined when none matches */
  value(name: string, labels?: Record<string, string>): number | undefined;
}

export async function scrape(url: string, headers: Record<string, string> = {}): Promise<Scrape> {
  const res = await fetch(url, { headers });
  const text = await res.text();
  const families = res.status === 200 ? parsePrometheusTextFormat(text) : [];
  const value = (name: string, labels: Record<string, string> = {}) => {
    const samples = families.find((f) => f.name === name)?.metrics.filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v)) ?? [];
    if (samples.length === 0) return undefined;
    return samples.reduce((sum, m) => sum + Number(m.value ?? m.count), 0);
  };
  return { status: res.status, contentType: res.headers.get('content-type'), families, text, value };
}
