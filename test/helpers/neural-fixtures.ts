/** Training configs and code samples shared by the neural tests. */
export const IRIS = { epochs: 40, learningRate: 0.01, batchSize: 8, validation: 0.2, seed: 7 };
/** Long enough that a stop always lands mid-run: ~400 batches of one spiral point per epoch. */
export const LONG = { epochs: 1000, learningRate: 0.001, batchSize: 1, validation: 0.2 };
/** A function the risk rule grades high: eval, an empty catch and deep nesting. */
export const RISKY = `function run(rules, event) {
  for (const rule of rules) {
    if (rule.enabled) {
      try {
        if (rule.when && eval(rule.when)) {
          for (const t of rule.targets) {
            if (t.kind === 'a' || t.kind === 'b') t.fire(event);
          }
        }
      } catch (e) {}
    }
  }
}`;
