import { describe, expect, it } from 'vitest';
import { compactScopes, effectiveScopes, expandPermission, isPermission } from '../../../shared/protocol/permissions';

describe('permissions (docs/protocol.md §3)', () => {
  it('admin implies write implies read, per channel', () => {
    expect(expandPermission('admin:neural').sort()).toEqual(['admin:neural', 'read:neural', 'write:neural']);
    expect(expandPermission('write:swarms').sort()).toEqual(['read:swarms', 'write:swarms']);
    expect(expandPermission('read:api')).toEqual(['read:api']);
  });

  it('* grants everything and read:* every read scope', () => {
    expect(expandPermission('*')).toHaveLength(15);
    expect(expandPermission('read:*').sort()).toEqual(['read:api', 'read:neural', 'read:swarms', 'read:system', 'read:tasks']);
  });

  it('rejects unknown scopes', () => {
    for (const bad of ['root', 'read:weather', 'delete:swarms', 'read', '', 'read:system ']) {
      expect(isPermission(bad)).toBe(false);
      expect(expandPermission(bad)).toEqual([]);
    }
  });

  it('narrowing intersects what the token grants with what the client asks', () => {
    expect([...effectiveScopes(['*'], ['read:system'])]).toEqual(['read:system']);
    expect([...effectiveScopes(['admin:neural'], ['read:neural', 'write:swarms'])]).toEqual(['read:neural']);
    expect(effectiveScopes(['read:system'], ['admin:system']).size).toBe(1);
    expect(effectiveScopes(['read:system'], ['admin:system']).has('admin:system')).toBe(false);
    expect(effectiveScopes(['write:tasks'], []).size).toBe(0);
    expect(effectiveScopes(['write:tasks']).size).toBe(2);
  });

  it('compacts a scope set for display', () => {
    expect(compactScopes(effectiveScopes(['*']))).toEqual(['*']);
    expect(compactScopes(effectiveScopes(['admin:neural', 'read:system']))).toEqual(['read:system', 'admin:neural']);
  });
});
