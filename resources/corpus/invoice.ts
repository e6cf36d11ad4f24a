export interface LineItem {
  description: string;
  quantity: number;
  unitPrice: number;
  taxRate: number;
}

export interface Invoice {
  number: string;
  items: LineItem[];
  discount?: { kind: 'percent' | 'amount'; value: number };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function subtotal(invoice: Invoice): number {
  return round2(invoice.items.reduce((sum, i) => sum + i.quantity * i.unitPrice, 0));
}

export function discountAmount(invoice: Invoice): number {
  const d = invoice.discount;
  if (!d) return 0;
  const base = subtotal(invoice);
  return round2(d.kind === 'percent' ? (base * d.value) / 100 : Math.min(d.value, base));
}

export function taxes(invoice: Invoice): Map<number, number> {
  const factor = subtotal(invoice) === 0 ? 0 : 1 - discountAmount(invoice) / subtotal(invoice);
  const out = new Map<number, number>();
  for (const item of invoice.items) {
    const tax = item.quantity * item.unitPrice * factor * item.taxRate;
    out.set(item.taxRate, round2((out.get(item.taxRate) ?? 0) + tax));
  }
  return out;
}

export function total(invoice: Invoice): number {
  let sum = subtotal(invoice) - discountAmount(invoice);
  for (const t of taxes(invoice).values()) sum += t;
  return round2(sum);
}
