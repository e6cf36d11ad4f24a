import type { CodeAnalysisService } from '../../engines/analysis/run-analysis';
import { WorkQuota } from '../security/work-quota';
import type { HandlersFor } from './types';

/**
 * What one principal may spend on code analysis: two at once, and 20 s of analysis per minute
 * (bursts of 20 s), so that no token can keep the analysis worker's core busy for everyone.
 */
export const ANALYSIS_QUOTA = { concurrent: 2, msPerSecond: 1000 / 3, burstMs: 20_000 };

/**
 * task:execute:immediate: a code analysis answered in the ack. Functions and
 * findings carry the code-analyzer network's risk grades once one is trained
 * (the service's grader); `confidence` is how much of the input parsed.
 */
export function analysisHandlers(service: Pick<CodeAnalysisService, 'analyze'>, quota = new WorkQuota(ANALYSIS_QUOTA)): HandlersFor<'task:execute:immediate'> {
  return {
    'task:execute:immediate': (args, ctx) =>
      quota.run(ctx.principal, 'code analysis', async () => {
        const analysis = await service.analyze(args.input, { filename: args.filename });
        return { analysis, confidence: analysis.confidence };
      }),
  };
}
