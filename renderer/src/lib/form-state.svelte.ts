import type { z } from 'zod';
import { focusFirstInvalid, fromServer, validate, type FieldErrors } from './forms';

/**
 * A dialog form's submit cycle: check the payload with the shared schema, send it, and keep the
 * field messages (the client's or the server's) and the general message for the form to show,
 * moving focus to the first invalid field when the submit is refused.
 */
export class FormState {
  errors = $state<FieldErrors>({});
  /** The general message of a refused send. */
  message = $state<string | null>(null);
  busy = $state(false);

  async submit<S extends z.ZodType>(e: SubmitEvent, schema: S, value: unknown, send: (data: z.output<S>) => Promise<void>): Promise<void> {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    this.message = null;
    const v = validate(schema, value);
    if (!v.ok) {
      this.errors = v.errors;
      focusFirstInvalid(form);
      return;
    }
    this.errors = {};
    this.busy = true;
    try {
      await send(v.data);
    } catch (err) {
      const s = fromServer(err);
      this.errors = s.errors;
      this.message = s.message;
      focusFirstInvalid(form);
    } finally {
      this.busy = false;
    }
  }
}
