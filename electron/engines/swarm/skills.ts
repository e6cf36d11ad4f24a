/**
 * Skills each role brings. A role not listed here has one skill, its own name.
 * `generalist` (the role of agents created from a plain count) is a wildcard: a
 * generalist can take any task, but a specialist whose skills cover the
 * requirements is preferred (scheduler.ts). Requirements match case-insensitively.
 */
export const ROLE_SKILLS: Readonly<Record<string, readonly string[]>> = {
  generalist: ['generalist'],
  developer: ['backend-development', 'frontend-development', 'coding'],
  'backend-developer': ['backend-development', 'databases', 'coding'],
  'frontend-developer': ['frontend-development', 'ui', 'coding'],
  tester: ['testing', 'qa'],
  reviewer: ['review', 'qa'],
  lead: ['architecture', 'review', 'coordination'],
  architect: ['architecture', 'design', 'review'],
  security: ['security-expertise', 'backend-development', 'review'],
  devops: ['deployment', 'infrastructure', 'monitoring'],
  analyst: ['analysis', 'research', 'documentation'],
  researcher: ['research', 'analysis'],
  writer: ['documentation'],
};
export const GENERALIST = 'generalist';

export function skillsOf(role: string): string[] {
  const key = role.trim().toLowerCase();
  return [...(Object.hasOwn(ROLE_SKILLS, key) ? ROLE_SKILLS[key]! : [key])];
}

/**
 * How well skills fit requirements: 0 when they cover them, 1 when only the
 * generalist wildcard does, null when the agent cannot take the task.
 */
export function fitOf(skills: ReadonlySet<string>, requirements: readonly string[]): 0 | 1 | null {
  if (requirements.every((r) => skills.has(r))) return 0;
  return skills.has(GENERALIST) ? 1 : null;
}
