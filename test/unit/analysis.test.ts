import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { analyzeCode, codeAnalysisSchema, type CodeAnalysis, type FunctionMetrics } from '../../electron/engines/analysis/analyze-code';
import { CodeAnalysisService, MAX_ANALYSIS_INPUT_BYTES, MAX_QUEUED_ANALYSES } from '../../electron/engines/analysis/run-analysis';
import { startWorker } from '../../electron/engines/workers';

const fn = (analysis: CodeAnalysis, name: string): FunctionMetrics => {
  const found = analysis.functions.find((f) => f.name === name);
  if (!found) throw new Error(`no function ${name} in ${analysis.functions.map((f) => f.name).join(', ')}`);
  return found;
};

const rulesAt = (analysis: CodeAnalysis): string[] => analysis.findings.map((f) => `${f.rule}@${f.line}`);

describe('analyzeCode: complexity', () => {
  it('counts each decision point once, and nothing for optional chaining', () => {
    const analysis = analyzeCode(
      [
        'function simple(a) { return a?.b?.c; }',
        'function branches(a, b, c) {',
        '  if (a) { a(); } else if (b) { b(); }', // 2
        '  for (let i = 0; i < 3; i++) {}', // 1
        '  for (const k in a) {}', // 1
        '  for (const v of b) {}', // 1
        '  while (b) { b--; }', // 1
        '  do { c--; } while (c > 0);', // 1
        '  try { a(); } catch (e) { c = e; }', // 1
        '  const d = a ? 1 : 2;', // 1
        '  const e = (a && b) || (c ?? d);', // 3
        '  c ||= 1;', // 1
        '  switch (a) { case 1: break; case 2: break; default: break; }', // 2
        '  return e;',
        '}',
      ].join('\n'),
    );
    expect(fn(analysis, 'simple').complexity).toBe(1);
    expect(fn(analysis, 'branches')).toMatchObject({ complexity: 16, params: 3, line: 2, endLine: 15, lines: 14, kind: 'function' });
    expect(analysis.averageComplexity).toBe(8.5);
    expect(rulesAt(analysis)).toEqual(['high-complexity@2']);
  });

  it('keeps nested functions out of their parent', () => {
    const analysis = analyzeCode('function outer(a) {\n  if (a) a();\n  const inner = (b) => (b ? 1 : 2);\n  return inner;\n}');
    expect(fn(analysis, 'outer').complexity).toBe(2);
    expect(fn(analysis, 'inner').complexity).toBe(2);
  });

  it('takes the complexity threshold from the options', () => {
    const source = 'function f(a) { if (a) {} if (!a) {} }';
    expect(rulesAt(analyzeCode(source))).toEqual([]);
    expect(rulesAt(analyzeCode(source, { complexityThreshold: 2 }))).toEqual(['high-complexity@1']);
  });
});

describe('analyzeCode: nesting', () => {
  it('measures control nesting per function; else-if does not nest', () => {
    const analysis = analyzeCode(
      [
        'function shallow(a) {',
        '  if (a) {} else if (!a) {} else if (a > 1) {}',
        '}',
        'function deep(a) {',
        '  if (a) {',
        '    for (const x of a) {',
        '      while (x) {',
        '        try {',
        '          switch (x) {',
        '            case 1:',
        '              if (x) {}',
        '          }',
        '        } catch {}',
        '      }',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    );
    expect(fn(analysis, 'shallow').maxNesting).toBe(1);
    expect(fn(analysis, 'deep').maxNesting).toBe(6);
    expect(analysis.maxNesting).toBe(6);
    const deep = analysis.findings.filter((f) => f.rule === 'deep-nesting');
    expect(deep).toEqual([expect.objectContaining({ line: 9, column: 10, severity: 'warning' })]);
    expect(rulesAt(analyzeCode('if (a) { if (b) { if (c) {} } }', { nestingThreshold: 2 }))).toEqual(['deep-nesting@1']);
  });
});

describe('analyzeCode: findings', () => {
  const source = [
    '// TODO: remove this',
    'function f(x: any): number {',
    '  try { g(); } catch (e) {}',
    "  eval('1');",
    "  const h = new Function('return 1');",
    '  return x;',
    '  h();',
    '}',
    'try { g(); } catch { /* fine: best effort */ }',
    '/* notes',
    ' * FIXME: later */',
    'for (const a of b) { if (a) continue; else break; }',
    'for (const a of b) { continue; var hoisted; function ok() {} }',
    'while (a) { break; a(); }',
    'function t() { throw new Error(); return 1; }',
    'const y = <any>z;',
  ].join('\n');
  const analysis = analyzeCode(source);

  it('reports each rule at its line, in source order', () => {
    expect(rulesAt(analysis)).toEqual([
      'todo-comment@1',
      'explicit-any@2',
      'empty-catch@3',
      'no-eval@4',
      'no-eval@5',
      'unreachable-code@7',
      'todo-comment@11',
      'unreachable-code@14',
      'unreachable-code@15',
      'explicit-any@16',
    ]);
    expect(analysis.language).toBe('typescript');
  });

  it('locates findings with 1-based lines and 0-based columns', () => {
    const at = (rule: string) => analysis.findings.filter((f) => f.rule === rule).map((f) => [f.line, f.column]);
    expect(at('todo-comment')).toEqual([
      [1, 3],
      [11, 3],
    ]);
    expect(at('explicit-any')).toEqual([
      [2, 14],
      [16, 11],
    ]);
    expect(at('empty-catch')).toEqual([[3, 15]]);
    expect(at('no-eval')).toEqual([
      [4, 2],
      [5, 12],
    ]);
    expect(analysis.findings.find((f) => f.rule === 'todo-comment')).toMatchObject({ severity: 'info', message: 'TODO: remove this' });
    expect(analysis.findings.find((f) => f.rule === 'no-eval')?.severity).toBe('error');
  });

  it('catches eval through global objects, ignores look-alikes', () => {
    const found = analyzeCode('globalThis.eval(s);\nwindow.Function(s);\nobj.eval(s);\nevaluate(s);\n// todo lower case is prose');
    expect(rulesAt(found)).toEqual(['no-eval@1', 'no-eval@2']);
  });

  it('produces a result the schema accepts', () => {
    expect(codeAnalysisSchema.parse(analysis)).toEqual(analysis);
  });
});

describe('analyzeCode: names and kinds', () => {
  it('names functions from declarations, bindings, properties and classes', () => {
    const analysis = analyzeCode(
      [
        'const add = (a, b) => a + b;',
        'const obj = { run() {}, "quoted": function () {}, [Symbol.iterator]: function* () {} };',
        'class Foo {',
        '  constructor(a) {}',
        '  bar(x, y) {}',
        '  get size() { return 1; }',
        '  set size(v) {}',
        '  static make = () => new Foo();',
        '  #secret() {}',
        '}',
        'const Anon = class { m() {} };',
        'module.exports.handler = function () {};',
        'items.map((x) => x * 2);',
        'export default function () {}',
        'function withThis(this: Foo, a: number) {}',
        'const cast = (() => 1) as () => number;',
      ].join('\n'),
    );
    const summary = analysis.functions.map((f) => `${f.name}:${f.kind}:${f.params}`);
    expect(summary).toEqual([
      'add:arrow:2',
      'run:method:0',
      'quoted:function:0',
      '[Symbol.iterator]:function:0',
      'Foo.constructor:constructor:1',
      'Foo.bar:method:2',
      'Foo.size:getter:0',
      'Foo.size:setter:1',
      'Foo.make:arrow:0',
      'Foo.#secret:method:0',
      'Anon.m:method:0',
      'module.exports.handler:function:0',
      '<anonymous>:arrow:1',
      'default:function:0',
      'withThis:function:1',
      'cast:arrow:0',
    ]);
    expect(fn(analysis, 'add')).toMatchObject({ line: 1, column: 12, endLine: 1, lines: 1 });
  });
});

describe('analyzeCode: lines and language', () => {
  it('counts code, comment and blank lines', () => {
    const source = '// header\n\nconst s = "// not a comment"; // trailing\n/*\n  block\n*/\n   \nlet x = 1; /* inline */\n';
    expect(analyzeCode(source).lines).toEqual({ total: 8, code: 2, comment: 4, blank: 2 });
    expect(analyzeCode('').lines).toEqual({ total: 0, code: 0, comment: 0, blank: 0 });
    expect(analyzeCode('a\r\nb\rc\u2028d').lines.total).toBe(4);
  });

  it('detects the language from syntax, filename or option', () => {
    expect(analyzeCode('const a = 1;').language).toBe('javascript');
    expect(analyzeCode('const a: number = 1;').language).toBe('typescript');
    expect(analyzeCode('const a = 1;', { filename: 'x.mts' }).language).toBe('typescript');
    expect(analyzeCode('const el = <div>{a}</div>;', { filename: 'x.jsx' })).toMatchObject({ language: 'javascript', confidence: 1 });
    expect(analyzeCode('const n = <number>x;').confidence).toBe(1);
    const forced = analyzeCode('const a: number = 1;', { language: 'javascript' });
    expect(forced.language).toBe('javascript');
    expect(forced.findings[0]?.rule).toBe('parse-error');
  });
});

describe('analyzeCode: broken input', () => {
  it('reports babel-recovered errors and still analyses the rest', () => {
    const analysis = analyzeCode('const x;\nfunction ok(a) {\n  return a ? 1 : 2;\n}\n');
    expect(analysis.parse).toEqual({ complete: false, errors: 1, parsedRatio: 0.75 });
    expect(analysis.confidence).toBe(0.75);
    expect(rulesAt(analysis)).toEqual(['parse-error@1']);
    expect(fn(analysis, 'ok').complexity).toBe(2);
  });

  it('repairs fatal errors and reports the functions around them', () => {
    const analysis = analyzeCode(
      [
        'function before(a) {',
        '  if (a) { return 1; }',
        '  return 2;',
        '}',
        'function broken(a) {',
        '  if (a {',
        '    a();',
        '  }',
        '}',
        'function after(b) {',
        '  return b && b.c;',
        '}',
      ].join('\n'),
    );
    expect(analysis.confidence).toBeGreaterThan(0.5);
    expect(analysis.confidence).toBeLessThan(1);
    expect(analysis.parse.complete).toBe(false);
    expect(analysis.findings[0]).toMatchObject({ rule: 'parse-error', severity: 'error', line: 6, column: 8 });
    expect(fn(analysis, 'before').complexity).toBe(2);
    expect(fn(analysis, 'after')).toMatchObject({ complexity: 2, line: 10 });
    expect(codeAnalysisSchema.safeParse(analysis).success).toBe(true);
  });

  it('closes input that stops short', () => {
    const analysis = analyzeCode('function cut(a) {\n  if (a) {\n    return [1, 2');
    expect(analysis.functions.map((f) => f.name)).toEqual(['cut']);
    expect(analysis.findings).toEqual([expect.objectContaining({ rule: 'parse-error', message: expect.stringContaining('Unexpected end of input'), line: 3 })]);
    expect(analysis.confidence).toBeCloseTo(0.666, 3);
  });

  it.each([
    ['symbols', '%%% @@@ }}} ###'],
    ['binary', '\u0000\u0001\u0002\uFFFE\uD800'],
    ['prose', 'This is not code at all, is it?\nNo it is not.'],
    ['deep nesting', '('.repeat(50_000)],
    ['a member chain too long to walk', `x = a${'.b'.repeat(20_000)}`],
    ['unterminated string', '"abc'],
  ])('gives confidence 0 without throwing for %s', (_, input) => {
    const analysis = analyzeCode(input);
    expect(analysis.confidence).toBe(0);
    expect(analysis.parse.parsedRatio).toBe(0);
    expect(analysis.language).toBe('unknown');
    expect(analysis.findings.length).toBeGreaterThan(0);
    expect(analysis.findings.every((f) => f.rule === 'parse-error')).toBe(true);
    expect(codeAnalysisSchema.safeParse(analysis).success).toBe(true);
  });

  it('gives confidence 1 for empty input', () => {
    expect(analyzeCode('')).toMatchObject({ confidence: 1, functions: [], findings: [], parse: { complete: true, errors: 0 } });
  });
});

/** About `bytes` of TypeScript, one small function per block. */
function largeSource(bytes: number): string {
  const blocks: string[] = [];
  for (let size = 0, i = 0; size < bytes; i++) {
    const block = `export function f${i}(a: number, b?: string): number {\n  // TODO: check ${i}\n  if (a > ${i} && b) {\n    return a;\n  }\n  return ${i};\n}\n`;
    blocks.push(block);
    size += block.length;
  }
  return blocks.join('');
}

/** The real worker, counting how often the service starts one. */
function countingWorkers(): { starts: () => number; createWorker: () => Worker } {
  let starts = 0;
  return {
    starts: () => starts,
    createWorker: () => {
      starts++;
      return startWorker('analysis', 'analysis');
    },
  };
}

const WORKER_TEST_MS = 30_000;

describe('CodeAnalysisService', () => {
  it('refuses input over the 1 MB limit, counting UTF-8 bytes', async () => {
    const service = new CodeAnalysisService();
    expect(MAX_ANALYSIS_INPUT_BYTES).toBe(1_000_000);
    await expect(service.analyze('x'.repeat(MAX_ANALYSIS_INPUT_BYTES + 1))).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('1000000 bytes'),
    });
    // 333 334 characters, but three bytes each in UTF-8.
    await expect(service.analyze('€'.repeat(333_334))).rejects.toMatchObject({ code: 'invalid_argument' });
    await service.close();
  });

  it(
    'analyses small and large input alike on one reused worker, with the same result as in-process',
    async () => {
      const workers = countingWorkers();
      const service = new CodeAnalysisService({ createWorker: workers.createWorker });
      const small = 'const f = (a) => a ?? 1;';
      expect(await service.analyze(small)).toEqual(analyzeCode(small));
      const source = largeSource(60_000);
      const [first, second] = await Promise.all([service.analyze(source), service.analyze(`${source}\n// more`)]);
      expect(first).toEqual(analyzeCode(source));
      expect(first.functions.length).toBeGreaterThan(400);
      expect(second.lines.comment).toBe(first.lines.comment + 1);
      expect(workers.starts()).toBe(1);
      await service.close();
    },
    WORKER_TEST_MS,
  );

  it(
    'keeps the event loop free for a tiny input that makes the parser backtrack, and times it out on a fresh worker',
    async () => {
      const workers = countingWorkers();
      const service = new CodeAnalysisService({ timeoutMs: 300, createWorker: workers.createWorker });
      await service.analyze('let warm = 1;');
      // Nested generic calls: each level doubles the TypeScript parser's backtracking.
      const hostile = 'f<a>(g<b>('.repeat(8);
      expect(Buffer.byteLength(hostile)).toBeLessThan(300);
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 10);
      const started = performance.now();
      await expect(service.analyze(hostile)).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('timed out') });
      clearInterval(ticker);
      expect(performance.now() - started).toBeLessThan(5_000);
      // The loop kept turning while the worker was stuck.
      expect(ticks).toBeGreaterThan(10);
      expect(await service.analyze('let after = 2;')).toMatchObject({ confidence: 1 });
      expect(workers.starts()).toBe(2);
      await service.close();
    },
    WORKER_TEST_MS,
  );

  it('refuses analyses past the queue bound instead of holding them', async () => {
    const hang = "require('node:worker_threads').parentPort.on('message', () => { for (;;); });";
    const service = new CodeAnalysisService({ timeoutMs: 60_000, createWorker: () => new Worker(hang, { eval: true }) });
    const waiting = Array.from({ length: MAX_QUEUED_ANALYSES }, () => service.analyze('x').catch((e: unknown) => e));
    await expect(service.analyze('x')).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('busy') });
    await service.close();
    for (const w of await Promise.all(waiting)) expect(w).toMatchObject({ code: 'unavailable' });
  });

  it(
    'accepts input of exactly the limit',
    async () => {
      const service = new CodeAnalysisService();
      const analysis = await service.analyze(`${' '.repeat(MAX_ANALYSIS_INPUT_BYTES - 12)}let x = 1;\n`);
      expect(analysis).toMatchObject({ confidence: 1, lines: { code: 1 } });
      await service.close();
    },
    WORKER_TEST_MS,
  );

  it('passes findings through the scoring hook', async () => {
    const service = new CodeAnalysisService({
      scoreFindings: (findings) => findings.map((f) => ({ ...f, score: f.rule === 'no-eval' ? 0.9 : 0.1 })),
    });
    const analysis = await service.analyze('eval(x); // TODO');
    expect(analysis.findings.map((f) => [f.rule, f.score])).toEqual([
      ['no-eval', 0.9],
      ['todo-comment', 0.1],
    ]);
    await service.close();
  });

  it(
    'fails pending work when the worker crashes, then starts a new one',
    async () => {
      let starts = 0;
      const service = new CodeAnalysisService({
        createWorker: () => (++starts === 1 ? new Worker('process.exit(3)', { eval: true }) : startWorker('analysis', 'analysis')),
      });
      const source = largeSource(30_000);
      await expect(service.analyze(source)).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('code 3') });
      expect((await service.analyze(source)).functions.length).toBeGreaterThan(100);
      expect(starts).toBe(2);
      await service.close();
    },
    WORKER_TEST_MS,
  );

  it('times out a stuck analysis with unavailable and resends what was queued behind it', async () => {
    // Stand-ins: the first worker never answers, the second echoes at once.
    const hang = "require('node:worker_threads').parentPort.on('message', () => { for (;;); });";
    const echo = `const { parentPort } = require('node:worker_threads');
      parentPort.on('message', ({ id }) => parentPort.postMessage({ id, ok: true, result: { findings: [], echoed: id } }));`;
    let starts = 0;
    const service = new CodeAnalysisService({
      timeoutMs: 500,
      startupGraceMs: 0,
      createWorker: () => new Worker(++starts === 1 ? hang : echo, { eval: true }),
    });
    const source = largeSource(30_000);
    const stuck = expect(service.analyze(source)).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('timed out') });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const queued = service.analyze(source);
    await stuck;
    expect(await queued).toMatchObject({ echoed: 2 });
    expect(starts).toBe(2);
    await service.close();
  });

  it(
    'close() terminates the worker, fails pending work and refuses later calls',
    async () => {
      let worker: Worker | undefined;
      const service = new CodeAnalysisService({ createWorker: () => (worker = startWorker('analysis', 'analysis')) });
      const pending = expect(service.analyze(largeSource(30_000))).rejects.toMatchObject({ code: 'unavailable' });
      expect(worker).toBeDefined();
      const exited = new Promise((resolve) => worker?.once('exit', resolve));
      await service.close();
      await exited;
      await pending;
      await expect(service.analyze('let a = 1;')).rejects.toMatchObject({ code: 'unavailable' });
      await service.close();
    },
    WORKER_TEST_MS,
  );
});
