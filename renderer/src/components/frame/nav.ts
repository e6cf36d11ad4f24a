import type { Component } from 'svelte';
import type { RouteName } from '../../lib/router.svelte';
import type { Scope } from '../../../../shared/protocol/permissions';
import { Brain, ChartLine, Cpu, Globe, LayoutDashboard, ListChecks, Network, ScrollText, Settings } from '../../lib/icons';

export interface NavItem {
  route: RouteName;
  label: string;
  icon: Component<{ size?: number | string; 'aria-hidden'?: boolean | 'true' }>;
  /** Keyboard shortcut digit (Alt+N). */
  key: string;
  /** Label in the phone bottom bar. */
  short?: string;
  /** The scope the whole view reads; without it the view says so instead of showing empty data. */
  reads?: Scope;
}

export const NAV: NavItem[] = [
  { route: 'overview', label: 'Overview', icon: LayoutDashboard, key: '1', short: 'Home' },
  { route: 'system', label: 'System', icon: Cpu, key: '2', reads: 'read:system' },
  { route: 'swarms', label: 'Swarms', icon: Network, key: '3', reads: 'read:swarms' },
  { route: 'tasks', label: 'Tasks & Workflows', icon: ListChecks, key: '4', short: 'Tasks', reads: 'read:tasks' },
  { route: 'neural', label: 'Neural', icon: Brain, key: '5', reads: 'read:neural' },
  { route: 'api', label: 'API', icon: Globe, key: '6', reads: 'read:api' },
  { route: 'timeline', label: 'Timeline', icon: ChartLine, key: '7' },
  { route: 'events', label: 'Events', icon: ScrollText, key: '8' },
  { route: 'settings', label: 'Settings', icon: Settings, key: '9' },
];
