export interface FlagRule {
  flag: string;
  enabled: boolean;
  percentage?: number;
  users?: string[];
  countries?: string[];
}

export interface Context {
  userId: string;
  country?: string;
}

function bucket(flag: string, userId: string): number {
  let hash = 2166136261;
  for (const ch of `${flag}:${userId}`) {
    hash ^= ch.charCodeAt(0);
    hash = Math.imul(hash, 16777619);
  }
  return (hash >>> 0) % 100;
}

export function isEnabled(rules: FlagRule[], flag: string, ctx: Context): boolean {
  const rule = rules.find((r) => r.flag === flag);
  if (!rule || !rule.enabled) return false;
  if (rule.users?.includes(ctx.userId)) return true;
  if (rule.countries && (!ctx.country || !rule.countries.includes(ctx.country))) return false;
  if (rule.percentage === undefined) return true;
  return bucket(flag, ctx.userId) < rule.percentage;
}
