/** Toasts for command results and errors: the error's message, never a stack. */
export type ToastKind = 'success' | 'error' | 'info' | 'warning';
export interface Toast {
  id: number;
  kind: ToastKind;
  title: string;
  message?: string;
}

const LIFETIME: Record<ToastKind, number> = { success: 4000, info: 5000, warning: 8000, error: 9000 };
const MAX = 5;

class Toasts {
  items = $state<Toast[]>([]);
  #next = 1;

  push(kind: ToastKind, title: string, message?: string): void {
    const id = this.#next++;
    this.items = [...this.items, { id, kind, title, message }].slice(-MAX);
    setTimeout(() => this.dismiss(id), LIFETIME[kind]);
  }

  success(title: string, message?: string): void {
    this.push('success', title, message);
  }

  info(title: string, message?: string): void {
    this.push('info', title, message);
  }

  warning(title: string, message?: string): void {
    this.push('warning', title, message);
  }

  /** Shows an error's message only (never its stack). */
  error(title: string, err?: unknown): void {
    this.push('error', title, err === undefined ? undefined : errorMessage(err));
  }

  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id);
  }
}

export function errorMessage(err: unknown): string {
  if (typeof err === 'string') return err;
  if (err && typeof err === 'object' && 'message' in err && typeof (err as { message: unknown }).message === 'string') {
    return (err as { message: string }).message;
  }
  return 'Something went wrong';
}

export const toasts = new Toasts();
