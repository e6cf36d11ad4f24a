import type { z } from 'zod';
import { errorFor, focusFirstInvalid, fromServer, validate, type FieldErrors } from './forms';

/** How a form presents its errors: e.g. a server path under a prefix, or a unit the field shows differently. */
export interface SubmitOptions {
  /** Rewrites the field messages (the client's and the server's) before the form shows them. */
  errors?: (errors: FieldErrors) => FieldErrors;
}

/**
 * A form's submit cycle: check the payload with a zod schema (shared, or the form's own), send it
 * (to the server or the desktop bridge), and keep the field messages (the client's or the sender's)
 * and the general message for the form to show, moving focus to the first invalid field when the
 * submit is refused. `busy` is true while a send is under way.
 */
export class FormState {
  errors = $state<FieldErrors>({});
  /** The general message of a refused send. */
  message = $state<string | null>(null);
  busy = $state(false);

  /** The message for one field (or anything nested under it). */
  error(path: string): string | undefined {
    return errorFor(this.errors, path);
  }

  /** A form's submit event: the form's own default is prevented. */
  submit<S extends z.ZodType>(e: SubmitEvent, schema: S, value: unknown, send: (data: z.output<S>) => Promise<void>, options?: SubmitOptions): Promise<void> {
    e.preventDefault();
    return this.run(e.currentTarget as HTMLFormElement, schema, value, send, options);
  }

  /** The same cycle started by a button rather than a submit event; `root` is where the invalid field is looked for. */
  async run<S extends z.ZodType>(
    root: ParentNode | null | undefined,
    schema: S,
    value: unknown,
    send: (data: z.output<S>) => Promise<void>,
    options: SubmitOptions = {},
  ): Promise<void> {
    if (this.busy) return;
    this.message = null;
    const v = validate(schema, value);
    if (!v.ok) {
      this.refuse(v.errors, null, root, options);
      return;
    }
    this.errors = {};
    this.busy = true;
    try {
      await send(v.data);
    } catch (err) {
      const s = fromServer(err);
      this.refuse(s.errors, s.message, root, options);
    } finally {
      this.busy = false;
    }
  }

  /** Shows messages found outside a send (a file too large to read, nothing to change…). */
  refuse(errors: FieldErrors, message: string | null = null, root?: ParentNode | null, options: SubmitOptions = {}): void {
    this.errors = options.errors ? options.errors(errors) : errors;
    this.message = message;
    if (root !== undefined) focusFirstInvalid(root);
  }

  /** Clears every message (the form was reset or its input replaced). */
  clear(): void {
    this.errors = {};
    this.message = null;
  }
}
