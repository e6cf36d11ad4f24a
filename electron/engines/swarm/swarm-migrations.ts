import type { Migration } from '../../store/migrations';

/** The swarm engine's tables: swarms, agents, tasks, workflows. Append, never edit. */
export const SWARM_MIGRATIONS: Migration[] = [
  {
    id: '010-swarms',
    sql: `
      CREATE TABLE swarms (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        name TEXT NOT NULL,
        topology TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        topology_changed_at INTEGER NOT NULL
      );
      CREATE TABLE swarm_agents (
        id TEXT PRIMARY KEY,
        swarm_id TEXT NOT NULL REFERENCES swarms (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        role TEXT NOT NULL,
        skills TEXT NOT NULL,
        status TEXT NOT NULL,
        load REAL NOT NULL,
        load_at INTEGER NOT NULL,
        fragility REAL NOT NULL
      );
      CREATE INDEX swarm_agents_swarm ON swarm_agents (swarm_id);
      CREATE TABLE swarm_counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);`,
  },
  {
    id: '011-tasks',
    sql: `
      CREATE TABLE tasks (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        title TEXT NOT NULL,
        description TEXT,
        priority TEXT NOT NULL,
        state TEXT NOT NULL,
        requested TEXT NOT NULL,
        requirements TEXT NOT NULL,
        estimated_duration INTEGER NOT NULL,
        requested_swarm_id TEXT,
        swarm_id TEXT,
        assignee TEXT,
        workflow_id TEXT,
        step_id TEXT,
        progress REAL NOT NULL,
        stage TEXT,
        queue_reason TEXT,
        created_at INTEGER NOT NULL,
        queued_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER,
        result TEXT,
        error TEXT,
        attempts INTEGER NOT NULL
      );
      CREATE INDEX tasks_state ON tasks (state);
      CREATE INDEX tasks_finished ON tasks (finished_at);`,
  },
  {
    id: '012-workflows',
    sql: `
      CREATE TABLE workflows (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        name TEXT NOT NULL,
        state TEXT NOT NULL,
        priority TEXT NOT NULL,
        swarm_id TEXT,
        created_at INTEGER NOT NULL,
        finished_at INTEGER,
        error TEXT,
        steps TEXT NOT NULL
      );
      CREATE INDEX workflows_state ON workflows (state);
      CREATE INDEX workflows_finished ON workflows (finished_at);`,
  },
  {
    id: '040-task-interruptions',
    sql: 'ALTER TABLE tasks ADD COLUMN interruptions INTEGER NOT NULL DEFAULT 0;',
  },
];
