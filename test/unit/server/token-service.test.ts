import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../electron/engines/clock';
import { TokenService } from '../../../electron/server/auth/token-service';
import { closeDatabase, type Db } from '../../../electron/store/database';
import { openAppDatabase } from '../../../electron/engines/migrations';
import { TokensRepo } from '../../../electron/store/tokens-repo';

const open: { dir: string; db: Db }[] = [];
afterEach(() => {
  for (const { dir, db } of open.splice(0)) {
    closeDatabase(db);
    rmSync(dir, { recursive: true, force: true });
  }
});

function setup(options: { adminToken?: string; maxTtlSeconds?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'zenflow-tokens-unit-'));
  const db = openAppDatabase(join(dir, 'zenflow.db'));
  open.push({ dir, db });
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const tokens = new TokenService(new Uint8Array(32).fill(7), new TokensRepo(db), { defaultTtlSeconds: 3600, now: () => clock.now(), ...options });
  return { clock, tokens };
}

describe('TokenService (manual clock)', () => {
  it('a token verifies until its expiry and is expired from then on', async () => {
    const { clock, tokens } = setup();
    const { token, expiresAt } = await tokens.issue({ permissions: ['read:system'], ttlSeconds: 60, userId: 'ops' });
    expect(expiresAt).toBe(clock.now() + 60_000);
    clock.advance(59_000);
    expect(await tokens.verify(token)).toMatchObject({ ok: true, claims: { userId: 'ops', permissions: ['read:system'], expiresAt } });
    clock.advance(1_000);
    expect(await tokens.verify(token)).toEqual({ ok: false, code: 'token_expired', message: 'auth: token expired' });
  });

  it('a revoked token is refused as revoked; others stay valid', async () => {
    const { tokens } = setup();
    const a = await tokens.issue({ permissions: ['*'] });
    const b = await tokens.issue({ permissions: ['*'] });
    const heard: string[] = [];
    tokens.onRevoke((jti) => heard.push(jti));
    expect(tokens.revoke(a.jti)).toBe(true);
    expect(heard).toEqual([a.jti]);
    expect(await tokens.verify(a.token)).toMatchObject({ ok: false, code: 'token_revoked' });
    expect(await tokens.verify(b.token)).toMatchObject({ ok: true });
  });

  it('refuses unknown scopes and lifetimes over the ceiling, minting nothing', async () => {
    const { tokens } = setup({ maxTtlSeconds: 600 });
    await expect(tokens.issue({ permissions: ['root'] })).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(tokens.issue({ permissions: ['*'], ttlSeconds: 601 })).rejects.toMatchObject({ code: 'invalid_argument', message: 'ttl may be at most 600 s on this server' });
    expect(tokens.list()).toEqual([]);
    await tokens.issue({ permissions: ['*'], ttlSeconds: 600 });
    expect(tokens.list()).toHaveLength(1);
  });

  it('tells a missing, a forged and a foreign token apart', async () => {
    const { tokens } = setup();
    expect(await tokens.verify('')).toMatchObject({ code: 'missing_token' });
    expect(await tokens.verify('not.a.jwt')).toMatchObject({ code: 'invalid_token' });
    const other = setup();
    const { token } = await other.tokens.issue({ permissions: ['*'] });
    // Same secret, but this installation never issued it.
    expect(await tokens.verify(token)).toMatchObject({ code: 'invalid_token' });
  });

  it('the env admin token never expires and can be revoked', async () => {
    const { clock, tokens } = setup({ adminToken: 'ci-automation-token-abcdef123456' });
    clock.advance(365 * 86_400_000);
    expect(await tokens.verify('ci-automation-token-abcdef123456')).toMatchObject({ ok: true, claims: { userId: 'admin', expiresAt: null } });
    tokens.revoke(tokens.envAdminJti!);
    expect(await tokens.verify('ci-automation-token-abcdef123456')).toMatchObject({ ok: false, code: 'token_revoked' });
  });
});
