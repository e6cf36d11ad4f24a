import { taskCreateSchema } from '../shared/protocol/commands';
import { parseOrThrow } from '../electron/server/validation';
const wide = { title: 'x', description: 'y'.repeat(4000), requirements: Array.from({ length: 5000 }, (_, i) => `r${i}`) };
for (let i = 0; i < 3; i++) { const t = performance.now(); try { parseOrThrow(taskCreateSchema, wide); } catch (e) { if (i === 0) console.log(String((e as Error).message).slice(0, 100), JSON.stringify((e as any).details).length); } console.log((performance.now() - t).toFixed(1)); }
