import { parse, type ParserPlugin } from '@babel/parser';

/**
 * Per-function code metrics measured on a babel AST. Kept local to the neural
 * engine so the code-analyzer dataset (and the inference features the analysis
 * task feeds the trained network) never change shape under another module.
 */
export const CODE_FEATURES = [
  'params',
  'lines',
  'statements',
  'cyclomatic',
  'maxNesting',
  'calls',
  'loops',
  'returns',
  'tryBlocks',
  'emptyCatches',
  'dynamicCode',
  'nestedFunctions',
] as const;

export type CodeFeature = (typeof CODE_FEATURES)[number];
export type FunctionMetrics = Record<CodeFeature, number>;

export interface MeasuredFunction {
  name: string;
  line: number;
  metrics: FunctionMetrics;
}

interface AstNode {
  type: string;
  loc?: { start: { line: number }; end: { line: number } } | null;
  [key: string]: unknown;
}

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression', 'ObjectMethod', 'ClassMethod', 'ClassPrivateMethod']);
const LOOP_TYPES = new Set(['ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement', 'DoWhileStatement']);
// Each adds one nesting level to what it contains; a catch clause sits at its try's level.
const NESTING_TYPES = new Set([...LOOP_TYPES, 'IfStatement', 'SwitchStatement', 'TryStatement']);
const SKIP_KEYS = new Set(['loc', 'start', 'end', 'extra', 'leadingComments', 'trailingComments', 'innerComments', 'typeAnnotation', 'returnType', 'typeParameters']);

const isNode = (value: unknown): value is AstNode => typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';

function children(node: AstNode): AstNode[] {
  const out: AstNode[] = [];
  for (const key of Object.keys(node)) {
    if (SKIP_KEYS.has(key)) continue;
    const value = node[key];
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) out.push(item);
    } else if (isNode(value)) {
      out.push(value);
    }
  }
  return out;
}

function isDynamicCode(node: AstNode): boolean {
  if (node.type === 'WithStatement') return true;
  if (node.type !== 'CallExpression' && node.type !== 'NewExpression') return false;
  const callee = node.callee as AstNode | undefined;
  return callee?.type === 'Identifier' && (callee.name === 'eval' || callee.name === 'Function');
}

function isEmptyCatch(node: AstNode): boolean {
  const body = node.body as AstNode | undefined;
  return node.type === 'CatchClause' && Array.isArray(body?.body) && (body.body as unknown[]).length === 0;
}

/** Metrics of one function's own body; nested functions are measured separately. */
export function measureFunction(fn: AstNode): FunctionMetrics {
  const m: FunctionMetrics = {
    params: Array.isArray(fn.params) ? fn.params.length : 0,
    lines: fn.loc ? fn.loc.end.line - fn.loc.start.line + 1 : 1,
    statements: 0,
    cyclomatic: 1,
    maxNesting: 0,
    calls: 0,
    loops: 0,
    returns: 0,
    tryBlocks: 0,
    emptyCatches: 0,
    dynamicCode: 0,
    nestedFunctions: 0,
  };
  const visit = (node: AstNode, depth: number): void => {
    if (FUNCTION_TYPES.has(node.type)) {
      m.nestedFunctions++;
      return;
    }
    if (node.type.endsWith('Statement') && node.type !== 'BlockStatement') m.statements++;
    if (node.type === 'VariableDeclaration') m.statements++;
    if (LOOP_TYPES.has(node.type)) m.loops++;
    if (node.type === 'IfStatement' || node.type === 'ConditionalExpression' || node.type === 'CatchClause' || LOOP_TYPES.has(node.type)) m.cyclomatic++;
    if (node.type === 'SwitchCase' && node.test) m.cyclomatic++;
    if (node.type === 'LogicalExpression') m.cyclomatic++;
    if (node.type === 'CallExpression' || node.type === 'NewExpression') m.calls++;
    if (node.type === 'ReturnStatement') m.returns++;
    if (node.type === 'TryStatement') m.tryBlocks++;
    if (isEmptyCatch(node)) m.emptyCatches++;
    if (isDynamicCode(node)) m.dynamicCode++;
    const nests = NESTING_TYPES.has(node.type);
    const inner = nests ? depth + 1 : depth;
    if (nests) m.maxNesting = Math.max(m.maxNesting, inner);
    for (const child of children(node)) {
      // `else if` continues the chain at the same level instead of nesting deeper.
      const elseIf = node.type === 'IfStatement' && child === node.alternate && child.type === 'IfStatement';
      const childDepth = elseIf || (nests && child === node.test) ? depth : inner;
      visit(child, childDepth);
    }
  };
  const body = fn.body;
  if (isNode(body)) visit(body, 0);
  for (const p of Array.isArray(fn.params) ? fn.params : []) if (isNode(p)) visit(p, 0);
  return m;
}

function nameOf(node: unknown): string | undefined {
  if (!isNode(node)) return undefined;
  if (node.type === 'Identifier' && typeof node.name === 'string') return node.name;
  if (node.type === 'StringLiteral') return String(node.value);
  if (node.type === 'PrivateName') return nameOf(node.id);
  if (node.type === 'MemberExpression') return nameOf(node.property);
  return undefined;
}

function functionName(fn: AstNode, parent: AstNode | undefined): string {
  return nameOf(fn.id) ?? nameOf(fn.key) ?? nameOf(parent?.id) ?? nameOf(parent?.key) ?? nameOf(parent?.left) ?? '<anonymous>';
}

function pluginsFor(fileName: string): ParserPlugin[] {
  if (/\.tsx$/.test(fileName)) return ['typescript', 'jsx'];
  if (/\.[cm]?ts$/.test(fileName)) return ['typescript'];
  return ['jsx'];
}

/** Parses a source file and measures every function in it, outer functions first. */
export function measureSource(source: string, fileName = 'input.ts'): MeasuredFunction[] {
  const ast = parse(source, { sourceType: 'unambiguous', plugins: pluginsFor(fileName), errorRecovery: true }) as unknown as AstNode;
  const out: MeasuredFunction[] = [];
  const walk = (node: AstNode, parent: AstNode | undefined): void => {
    if (FUNCTION_TYPES.has(node.type)) {
      out.push({ name: functionName(node, parent), line: node.loc?.start.line ?? 0, metrics: measureFunction(node) });
    }
    for (const child of children(node)) walk(child, node);
  };
  walk(ast, undefined);
  return out;
}

/** The metrics as a vector in CODE_FEATURES order, the network's input layout. */
export const toVector = (m: FunctionMetrics): number[] => CODE_FEATURES.map((f) => m[f]);
