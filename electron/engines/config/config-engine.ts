import type { z } from 'zod';
import type { EventBus } from '../bus';
import type { EngineContext } from '../context';
import { ProtocolError } from '../../../shared/protocol/errors';
import { CONFIG_COMPONENTS, CONFIG_SCHEMAS, defaultsOf, isConfigComponent, type ConfigComponent, type ConfigOf, type SettingsSource } from './schemas';
import { diffSettings, type DiffEntry } from './diff';
import { ConfigStore, type AuditAction, type AuditEntry } from './store';
import { settingsIssues } from './validate';

export interface ConfigUpdate {
  component: string;
  settings: Record<string, unknown>;
  dryRun?: boolean;
}

export interface ConfigChange {
  component: ConfigComponent;
  version: number;
  config: Record<string, unknown>;
  diff: DiffEntry[];
}

export type ConfigUpdateResult =
  (ConfigChange & { dryRun?: false; unchanged?: true }) | { component: ConfigComponent; dryRun: true; version: number; diff: DiffEntry[]; config: Record<string, unknown> };

type Listener = (config: Record<string, unknown>, change: ConfigChange) => void;

/** Origin of a write beyond the plain `config:update`: the optimizer or a rollback. */
interface WriteOptions {
  action?: AuditAction;
  reason?: string;
  rolledBackTo?: number;
}

/**
 * Configuration you can trust: every write is validated against the component's
 * strict schema, versioned and audited in one transaction, announced on the bus,
 * and pushed to live subscribers (engines apply it at once).
 */
export class ConfigEngine {
  private readonly store: ConfigStore;
  private readonly db: EngineContext['db'];
  private readonly bus: EventBus;
  private readonly now: () => number;
  private readonly log: EngineContext['log'];
  private readonly current = new Map<ConfigComponent, { version: number; config: Record<string, unknown> }>();
  private readonly listeners = new Map<ConfigComponent, Set<Listener>>();

  constructor(ctx: Pick<EngineContext, 'db' | 'bus' | 'realClock' | 'log'>) {
    this.store = new ConfigStore(ctx.db);
    this.db = ctx.db;
    this.bus = ctx.bus;
    this.now = () => ctx.realClock.now();
    this.log = ctx.log;
    for (const component of CONFIG_COMPONENTS) this.current.set(component, this.load(component));
  }

  get<C extends ConfigComponent>(component: C): ConfigOf<C> {
    return this.entry(component).config as ConfigOf<C>;
  }

  version(component: ConfigComponent): number {
    return this.entry(component).version;
  }

  /** Calls `listener` after every committed change of `component`; returns the unsubscribe. */
  subscribe<C extends ConfigComponent>(component: C, listener: (config: ConfigOf<C>, change: ConfigChange) => void): () => void {
    let set = this.listeners.get(component);
    if (!set) this.listeners.set(component, (set = new Set()));
    const l = listener as Listener;
    set.add(l);
    return () => set.delete(l);
  }

  /** A component's settings as an engine consumes them. */
  source<C extends ConfigComponent>(component: C): SettingsSource<ConfigOf<C>> {
    return { get: () => this.get(component), subscribe: (listener) => this.subscribe(component, listener) };
  }

  update(update: ConfigUpdate, actor: string, options: WriteOptions = {}): ConfigUpdateResult {
    const component = this.component(update.component);
    const { version, config: before } = this.entry(component);
    const after = this.validate(component, { ...before, ...update.settings });
    const diff = diffSettings(before, after);
    if (update.dryRun) return { component, dryRun: true, version, diff, config: after };
    if (diff.length === 0) return { component, version, config: before, diff, unchanged: true };
    return this.commit(component, before, after, actor, { action: options.action ?? 'update', ...options });
  }

  /** Audit entries, newest first. */
  history(component: string): { component: ConfigComponent; entries: AuditEntry[] } {
    const c = this.component(component);
    return { component: c, entries: this.store.audit(c) };
  }

  /** Restores `version`'s config as a new, audited version. */
  rollback(component: string, version: number, actor: string): ConfigChange & { rolledBackTo: number; unchanged?: true } {
    const c = this.component(component);
    const stored = this.store.version(c, version);
    if (!stored) {
      throw new ProtocolError('not_found', `${c} has no version ${version}`, { component: c, latestVersion: this.version(c) });
    }
    const { version: currentVersion, config: before } = this.entry(c);
    const after = this.validate(c, stored);
    const diff = diffSettings(before, after);
    if (diff.length === 0) return { component: c, version: currentVersion, config: before, diff, rolledBackTo: version, unchanged: true };
    return { ...this.commit(c, before, after, actor, { action: 'rollback', rolledBackTo: version }), rolledBackTo: version };
  }

  private commit(
    component: ConfigComponent,
    before: Record<string, unknown>,
    after: Record<string, unknown>,
    actor: string,
    options: WriteOptions & { action: AuditAction },
  ): ConfigChange {
    const diff = diffSettings(before, after);
    // The version, its audit entry and the announcement commit together; a refused write changes nothing here.
    const version = this.bus.command(this.db, () => {
      const v = this.store.append({
        component,
        action: options.action,
        actor,
        at: this.now(),
        before,
        after,
        reason: options.reason ?? null,
        rolledBackTo: options.rolledBackTo ?? null,
      });
      this.bus.publish('system:config:updated', { component, version: v, actor, action: options.action, changes: diff });
      return v;
    });
    this.current.set(component, { version, config: after });
    const change: ConfigChange = { component, version, config: after, diff };
    for (const listener of this.listeners.get(component) ?? []) {
      try {
        listener(after, change);
      } catch (err) {
        this.log.error({ err, component }, 'config listener failed');
      }
    }
    return change;
  }

  private component(name: string): ConfigComponent {
    if (isConfigComponent(name)) return name;
    throw new ProtocolError('invalid_argument', `unknown component '${name}'`, [{ path: 'component', message: `unknown component; allowed: ${CONFIG_COMPONENTS.join(', ')}` }]);
  }

  private entry(component: ConfigComponent): { version: number; config: Record<string, unknown> } {
    const entry = this.current.get(component);
    if (!entry) throw new Error(`config ${component} not loaded`);
    return entry;
  }

  private validate(component: ConfigComponent, candidate: Record<string, unknown>): Record<string, unknown> {
    const schema = schemaOf(component);
    const result = schema.safeParse(candidate);
    if (result.success) return result.data;
    throw new ProtocolError('invalid_argument', `invalid settings for ${component}`, settingsIssues(result.error, Object.keys(schema.shape)));
  }

  /**
   * The latest stored version, re-read through today's schema (new settings get
   * their defaults; settings since removed are dropped). A component never written
   * gets version 1 = its defaults, so a rollback can always return to them.
   */
  private load(component: ConfigComponent): { version: number; config: Record<string, unknown> } {
    const latest = this.store.latest(component);
    if (!latest) {
      const config = defaultsOf(component) as Record<string, unknown>;
      const version = this.store.append({ component, action: 'defaults', actor: 'system', at: this.now(), before: null, after: config });
      return { version, config };
    }
    const schema = schemaOf(component);
    const known = Object.fromEntries(Object.entries(latest.config).filter(([k]) => Object.hasOwn(schema.shape, k)));
    const parsed = schema.safeParse(known);
    if (parsed.success) return { version: latest.version, config: parsed.data };
    // Recorded as a new version so the audit trail says why the settings changed.
    const config = defaultsOf(component) as Record<string, unknown>;
    const reason = `stored version ${latest.version} no longer valid: ${parsed.error.issues.map((i) => i.message).join('; ')}`;
    this.log.warn({ component, version: latest.version }, reason);
    const version = this.store.append({ component, action: 'defaults', actor: 'system', at: this.now(), before: latest.config, after: config, reason });
    return { version, config };
  }
}

/** Widened so one code path validates every component. */
function schemaOf(component: ConfigComponent): z.ZodObject {
  return CONFIG_SCHEMAS[component] as unknown as z.ZodObject;
}
