import type * as t from '@babel/types';

export type FunctionNode = t.FunctionDeclaration | t.FunctionExpression | t.ArrowFunctionExpression | t.ObjectMethod | t.ClassMethod | t.ClassPrivateMethod;

// Expressions that leave the value as it is, so `const f = (() => {}) as F` still names `f`.
const TRANSPARENT = new Set(['ParenthesizedExpression', 'TSAsExpression', 'TSSatisfiesExpression', 'TSTypeAssertion', 'TSNonNullExpression']);

/** `a.b.c` for identifiers, `this` and non-computed member chains; undefined otherwise. */
function memberPath(node: t.Node): string | undefined {
  switch (node.type) {
    case 'Identifier':
      return node.name;
    case 'ThisExpression':
      return 'this';
    case 'Super':
      return 'super';
    case 'MemberExpression':
    case 'OptionalMemberExpression': {
      const property = node.computed ? literalName(node.property) : propertyName(node.property);
      if (property === undefined) return undefined;
      const object = memberPath(node.object);
      return object === undefined ? property : `${object}.${property}`;
    }
    default:
      return undefined;
  }
}

function literalName(node: t.Node): string | undefined {
  if (node.type === 'StringLiteral') return node.value;
  if (node.type === 'NumericLiteral') return String(node.value);
  if (node.type === 'BigIntLiteral') return node.value;
  return undefined;
}

function propertyName(node: t.Node): string | undefined {
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'PrivateName') return `#${node.id.name}`;
  return literalName(node);
}

/** A property or member key as written: `foo`, `#foo`, `'foo'`, `[Symbol.iterator]`. */
function keyName(key: t.Node, computed: boolean): string {
  if (!computed) return propertyName(key) ?? '<computed>';
  return literalName(key) ?? `[${memberPath(key) ?? 'computed'}]`;
}

/** The name of the class whose body is `ancestors[bodyIndex]`. */
function className(ancestors: readonly t.Node[], bodyIndex: number): string | undefined {
  const owner = ancestors[bodyIndex - 1];
  if (!owner || (owner.type !== 'ClassDeclaration' && owner.type !== 'ClassExpression')) return undefined;
  return owner.id?.name ?? bindingName(owner, ancestors, bodyIndex - 2);
}

const qualified = (owner: string | undefined, member: string): string => (owner ? `${owner}.${member}` : member);

/**
 * The name `node` takes from where it is written, `ancestors[at]` being its parent:
 * `const f = …`, `obj.f = …`, `{ f: … }`, `(f = …) =>` defaults, class fields, `export default`.
 */
function bindingName(node: t.Node, ancestors: readonly t.Node[], at: number): string | undefined {
  let child = node;
  let i = at;
  for (let parent = ancestors[i]; parent && TRANSPARENT.has(parent.type); parent = ancestors[--i]) child = parent;
  const parent = ancestors[i];
  switch (parent?.type) {
    case 'VariableDeclarator':
      return parent.init === child ? memberPath(parent.id) : undefined;
    case 'AssignmentExpression':
      return parent.right === child ? memberPath(parent.left) : undefined;
    case 'AssignmentPattern':
      return parent.right === child ? memberPath(parent.left) : undefined;
    case 'ObjectProperty':
      return parent.value === child ? keyName(parent.key, parent.computed) : undefined;
    case 'ClassProperty':
    case 'ClassPrivateProperty':
    case 'ClassAccessorProperty':
      if (parent.value !== child) return undefined;
      return qualified(className(ancestors, i - 1), keyName(parent.key, 'computed' in parent && parent.computed));
    case 'ExportDefaultDeclaration':
      return 'default';
    default:
      return undefined;
  }
}

/** Declared name, else the inferred one (methods of classes as `Class.method`), else `<anonymous>`. */
export function functionName(node: FunctionNode, ancestors: readonly t.Node[]): string {
  const parentIndex = ancestors.length - 1;
  switch (node.type) {
    case 'ObjectMethod':
      return keyName(node.key, node.computed);
    case 'ClassMethod':
    case 'ClassPrivateMethod':
      return qualified(className(ancestors, parentIndex), keyName(node.key, node.type === 'ClassMethod' && node.computed));
    case 'FunctionDeclaration':
    case 'FunctionExpression':
      if (node.id) return node.id.name;
  }
  return bindingName(node, ancestors, parentIndex) ?? '<anonymous>';
}
