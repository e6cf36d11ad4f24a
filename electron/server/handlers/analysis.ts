import type { CodeAnalysisService } from '../../engines/analysis/run-analysis';
import type { CommandHandlers } from './types';

/**
 * task:execute:immediate: a code analysis answered in the ack. Functions and
 * findings carry the code-analyzer network's risk grades once one is trained
 * (the service's grader); `confidence` is how much of the input parsed.
 */
export function analysisHandlers(service: Pick<CodeAnalysisService, 'analyze'>): CommandHandlers {
  return {
    'task:execute:immediate': async (args) => {
      const analysis = await service.analyze(args.input, { filename: args.filename });
      return { analysis, confidence: analysis.confidence };
    },
  };
}
