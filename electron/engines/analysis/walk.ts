import type * as t from '@babel/types';
import { functionName, type FunctionNode } from './names';
import type { Finding, FunctionKind, FunctionMetrics } from './schema';

export interface WalkOptions {
  complexityThreshold: number;
  nestingThreshold: number;
  /** Lines in the original input; repairs may have appended closers past it. */
  lineCount: number;
}

export interface WalkResult {
  functions: FunctionMetrics[];
  findings: Finding[];
  maxNesting: number;
  /** Whether any TypeScript-only syntax occurred. */
  typescript: boolean;
}

/** Top-level code or one function body: complexity and nesting are counted per scope. */
interface Scope {
  fn: FunctionMetrics | undefined;
  depth: number;
  deepReported: boolean;
}

// Keys holding no child nodes, or comments (handled from the comment list).
const SKIP_KEYS = new Set(['loc', 'start', 'end', 'extra', 'range', 'leadingComments', 'trailingComments', 'innerComments', 'comments', 'errors', 'tokens']);

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression', 'ObjectMethod', 'ClassMethod', 'ClassPrivateMethod']);

// One decision point each (McCabe); `SwitchCase` only when not `default`.
const BRANCHES = new Set(['IfStatement', 'ConditionalExpression', 'ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement', 'DoWhileStatement', 'CatchClause']);
// Logical assignments short-circuit like their operators.
const SHORT_CIRCUIT_ASSIGNMENTS = new Set(['&&=', '||=', '??=']);

// Control structures that deepen nesting, as ESLint's max-depth counts them.
const NESTING = new Set([
  'IfStatement',
  'SwitchStatement',
  'TryStatement',
  'WhileStatement',
  'DoWhileStatement',
  'ForStatement',
  'ForInStatement',
  'ForOfStatement',
  'WithStatement',
]);

const TERMINATORS: Record<string, string> = {
  ReturnStatement: 'return',
  ThrowStatement: 'throw',
  BreakStatement: 'break',
  ContinueStatement: 'continue',
};

// Statements after a terminator that still do something harmless: hoisted or type-only.
function isHarmless(node: t.Statement): boolean {
  switch (node.type) {
    case 'FunctionDeclaration':
    case 'EmptyStatement':
    case 'TSInterfaceDeclaration':
    case 'TSTypeAliasDeclaration':
    case 'TSDeclareFunction':
      return true;
    case 'VariableDeclaration':
      return node.kind === 'var' && node.declarations.every((d) => d.init == null);
    default:
      return false;
  }
}

const GLOBAL_OBJECTS = new Set(['window', 'globalThis', 'self', 'global']);

/** `name` or `globalThis.name` (and other global objects). */
function isGlobalCall(callee: t.Node, name: string): boolean {
  if (callee.type === 'Identifier') return callee.name === name;
  return (
    (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') &&
    !callee.computed &&
    callee.object.type === 'Identifier' &&
    GLOBAL_OBJECTS.has(callee.object.name) &&
    callee.property.type === 'Identifier' &&
    callee.property.name === name
  );
}

function kindOf(node: FunctionNode): FunctionKind {
  if (node.type === 'ArrowFunctionExpression') return 'arrow';
  if (node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression') return 'function';
  if (node.kind === 'get') return 'getter';
  if (node.kind === 'set') return 'setter';
  return node.kind === 'constructor' ? 'constructor' : 'method';
}

const isNode = (value: unknown): value is t.Node => typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';

const at = (node: t.Node): { line: number; column: number } => ({
  line: node.loc?.start.line ?? 1,
  column: node.loc?.start.column ?? 0,
});

class Walker {
  readonly functions: FunctionMetrics[] = [];
  readonly findings: Finding[] = [];
  maxNesting = 0;
  typescript = false;
  private readonly ancestors: t.Node[] = [];
  private scope: Scope = { fn: undefined, depth: 0, deepReported: false };

  constructor(private readonly options: WalkOptions) {}

  visit(node: t.Node): void {
    if (node.type.startsWith('TS')) this.typescript = true;
    if (FUNCTION_TYPES.has(node.type)) {
      this.visitFunction(node as FunctionNode);
      return;
    }
    this.inspect(node);
    const parent = this.ancestors[this.ancestors.length - 1];
    // An `else if` continues its chain rather than nesting inside it.
    const nests = NESTING.has(node.type) && !(parent?.type === 'IfStatement' && parent.alternate === node);
    if (nests) this.enterBlock(node);
    this.visitChildren(node);
    if (nests) this.scope.depth--;
  }

  private visitChildren(node: t.Node): void {
    this.ancestors.push(node);
    const fields = node as unknown as Record<string, unknown>;
    for (const key of Object.keys(fields)) {
      if (SKIP_KEYS.has(key)) continue;
      const value = fields[key];
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) this.visit(item);
      } else if (isNode(value)) {
        this.visit(value);
      }
    }
    this.ancestors.pop();
  }

  private visitFunction(node: FunctionNode): void {
    const { line, column } = at(node);
    const endLine = Math.max(line, Math.min(node.loc?.end.line ?? line, this.options.lineCount));
    const fn: FunctionMetrics = {
      name: functionName(node, this.ancestors),
      kind: kindOf(node),
      line,
      column,
      endLine,
      // A TypeScript `this` parameter only types the receiver.
      params: node.params.filter((p) => !(p.type === 'Identifier' && p.name === 'this')).length,
      lines: endLine - line + 1,
      complexity: 1,
      maxNesting: 0,
    };
    this.functions.push(fn);
    const outer = this.scope;
    this.scope = { fn, depth: 0, deepReported: false };
    this.visitChildren(node);
    this.scope = outer;
    if (fn.complexity > this.options.complexityThreshold) {
      this.report('high-complexity', 'warning', node, `'${fn.name}' has cyclomatic complexity ${fn.complexity} (threshold ${this.options.complexityThreshold})`);
    }
  }

  private enterBlock(node: t.Node): void {
    const scope = this.scope;
    scope.depth++;
    if (scope.fn) scope.fn.maxNesting = Math.max(scope.fn.maxNesting, scope.depth);
    this.maxNesting = Math.max(this.maxNesting, scope.depth);
    if (scope.depth > this.options.nestingThreshold && !scope.deepReported) {
      // Once per scope: everything inside the first too-deep block would repeat it.
      scope.deepReported = true;
      const where = scope.fn ? `'${scope.fn.name}'` : 'top-level code';
      this.report('deep-nesting', 'warning', node, `blocks nested more than ${this.options.nestingThreshold} deep in ${where}`);
    }
  }

  /** Complexity and the node-local rules. */
  private inspect(node: t.Node): void {
    if (BRANCHES.has(node.type) || (node.type === 'SwitchCase' && node.test)) this.branch();
    switch (node.type) {
      case 'LogicalExpression':
        this.branch();
        break;
      case 'AssignmentExpression':
        if (SHORT_CIRCUIT_ASSIGNMENTS.has(node.operator)) this.branch();
        break;
      case 'CallExpression':
      case 'OptionalCallExpression':
      case 'NewExpression':
        if (node.type !== 'NewExpression' && isGlobalCall(node.callee, 'eval')) {
          this.report('no-eval', 'error', node, 'eval() runs arbitrary code');
        } else if (isGlobalCall(node.callee, 'Function')) {
          this.report('no-eval', 'error', node, 'the Function constructor compiles code from strings, like eval()');
        }
        break;
      case 'CatchClause':
        if (node.body.body.length === 0 && !node.body.innerComments?.length) {
          this.report('empty-catch', 'warning', node, 'empty catch block silently swallows the error');
        }
        break;
      case 'TSAnyKeyword':
        this.report('explicit-any', 'warning', node, 'explicit `any` disables type checking');
        break;
      case 'Program':
      case 'BlockStatement':
      case 'StaticBlock':
      case 'TSModuleBlock':
        this.checkReachability(node.body);
        break;
      case 'SwitchCase':
        this.checkReachability(node.consequent);
        break;
    }
  }

  private branch(): void {
    if (this.scope.fn) this.scope.fn.complexity++;
  }

  /** The first statement after a return/throw/break/continue in the same list never runs. */
  private checkReachability(statements: readonly t.Statement[]): void {
    const end = statements.findIndex((s) => s.type in TERMINATORS);
    if (end < 0) return;
    const dead = statements.slice(end + 1).find((s) => !isHarmless(s));
    const terminator = statements[end];
    if (dead && terminator) {
      this.report('unreachable-code', 'warning', dead, `unreachable code after '${TERMINATORS[terminator.type] ?? terminator.type}'`);
    }
  }

  private report(rule: Finding['rule'], severity: Finding['severity'], node: t.Node, message: string): void {
    this.findings.push({ rule, severity, message, ...at(node) });
  }
}

/** Function metrics, nesting and the AST-based findings of a program. */
export function walk(program: t.Program, options: WalkOptions): WalkResult {
  const walker = new Walker(options);
  walker.visit(program);
  return { functions: walker.functions, findings: walker.findings, maxNesting: walker.maxNesting, typescript: walker.typescript };
}
