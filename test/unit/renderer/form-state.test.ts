import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ZenFlowRequestError } from '../../../shared/sdk';
import { FormState } from '../../../renderer/src/lib/form-state.svelte';
import { FieldsRefused } from '../../../renderer/src/lib/forms';

const schema = z.strictObject({ name: z.string().trim().min(1), count: z.number().int().min(1) });

describe('FormState: one submit cycle for every form', () => {
  it('refuses an invalid value with field messages and sends nothing', async () => {
    const form = new FormState();
    const sent: unknown[] = [];
    await form.run(undefined, schema, { name: ' ', count: 0 }, async (d) => void sent.push(d));
    expect(sent).toEqual([]);
    expect(form.errors).toEqual({ name: 'Required', count: 'Must be at least 1' });
    expect(form.error('name')).toBe('Required');
    expect(form.busy).toBe(false);
  });

  it('sends the parsed value, is busy meanwhile, and clears earlier messages', async () => {
    const form = new FormState();
    form.refuse({ name: 'old' }, 'old message');
    let busyDuringSend = false;
    const sent: unknown[] = [];
    await form.run(undefined, schema, { name: ' ops ', count: 2 }, async (d) => {
      busyDuringSend = form.busy;
      sent.push(d);
    });
    expect(sent).toEqual([{ name: 'ops', count: 2 }]);
    expect(busyDuringSend).toBe(true);
    expect(form.busy).toBe(false);
    expect(form.errors).toEqual({});
    expect(form.message).toBeNull();
  });

  it("shows a sender's refusal: field details next to fields, a field refusal without a general message, anything else as the message", async () => {
    const form = new FormState();
    await form.run(undefined, schema, { name: 'a', count: 1 }, () =>
      Promise.reject(new ZenFlowRequestError({ code: 'invalid_argument', message: 'bad', details: [{ path: 'count', message: 'too many' }] })),
    );
    expect(form.errors).toEqual({ count: 'too many' });
    expect(form.message).toMatch(/refused some fields/);

    await form.run(undefined, schema, { name: 'a', count: 1 }, () => Promise.reject(new FieldsRefused({ name: 'taken' })));
    expect(form.errors).toEqual({ name: 'taken' });
    expect(form.message).toBeNull();

    await form.run(undefined, schema, { name: 'a', count: 1 }, () => Promise.reject(new Error('not connected')));
    expect(form.errors).toEqual({});
    expect(form.message).toBe('not connected');
    expect(form.busy).toBe(false);
  });

  it("rewrites the client's and the sender's messages the same way when asked", async () => {
    const form = new FormState();
    const rename = (e: Record<string, string>) => Object.fromEntries(Object.entries(e).map(([k, v]) => [k.replace(/^settings\./, ''), v]));
    await form.run(undefined, schema, { name: 'a', count: 1 }, () => Promise.reject(new FieldsRefused({ 'settings.count': 'no' })), { errors: rename });
    expect(form.errors).toEqual({ count: 'no' });
  });

  it('ignores a second submit while the first is being sent', async () => {
    const form = new FormState();
    let release!: () => void;
    let sends = 0;
    const first = form.run(undefined, schema, { name: 'a', count: 1 }, () => {
      sends++;
      return new Promise<void>((r) => (release = r));
    });
    await form.run(undefined, schema, { name: 'b', count: 1 }, async () => void sends++);
    expect(sends).toBe(1);
    release();
    await first;
    await form.run(undefined, schema, { name: 'c', count: 1 }, async () => void sends++);
    expect(sends).toBe(2);
  });
});
