export interface Todo {
  id: string;
  title: string;
  done: boolean;
}

export interface State {
  todos: Todo[];
  filter: 'all' | 'open' | 'done';
}

export type Action =
  | { type: 'add'; id: string; title: string }
  | { type: 'toggle'; id: string }
  | { type: 'remove'; id: string }
  | { type: 'rename'; id: string; title: string }
  | { type: 'filter'; filter: State['filter'] }
  | { type: 'clearDone' };

export function reducer(state: State, action: Action): State {
  switch (action.type) {
    case 'add':
      return { ...state, todos: [...state.todos, { id: action.id, title: action.title, done: false }] };
    case 'toggle':
      return { ...state, todos: state.todos.map((t) => (t.id === action.id ? { ...t, done: !t.done } : t)) };
    case 'remove':
      return { ...state, todos: state.todos.filter((t) => t.id !== action.id) };
    case 'rename':
      return { ...state, todos: state.todos.map((t) => (t.id === action.id ? { ...t, title: action.title } : t)) };
    case 'filter':
      return { ...state, filter: action.filter };
    case 'clearDone':
      return { ...state, todos: state.todos.filter((t) => !t.done) };
  }
}

export function visible(state: State): Todo[] {
  if (state.filter === 'all') return state.todos;
  return state.todos.filter((t) => (state.filter === 'done' ? t.done : !t.done));
}
