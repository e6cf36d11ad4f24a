import type { Component } from 'svelte';
import type { RouteName } from '../../lib/router.svelte';
import { Brain, ChartLine, Cpu, Globe, LayoutDashboard, ListChecks, Network, ScrollText, Settings } from '../../lib/icons';

export interface NavItem {
  route: RouteName;
  label: string;
  icon: Component<{ size?: number | string; 'aria-hidden'?: boolean | 'true' }>;
  /** Keyboard shortcut digit (Alt+N). */
  key: string;
  /** Label in the phone bottom bar. */
  short?: string;
}

export const NAV: NavItem[] = [
  { route: 'overview', label: 'Overview', icon: LayoutDashboard, key: '1', short: 'Home' },
  { route: 'system', label: 'System', icon: Cpu, key: '2' },
  { route: 'swarms', label: 'Swarms', icon: Network, key: '3' },
  { route: 'tasks', label: 'Tasks & Workflows', icon: ListChecks, key: '4', short: 'Tasks' },
  { route: 'neural', label: 'Neural', icon: Brain, key: '5' },
  { route: 'api', label: 'API', icon: Globe, key: '6' },
  { route: 'timeline', label: 'Timeline', icon: ChartLine, key: '7' },
  { route: 'events', label: 'Events', icon: ScrollText, key: '8' },
  { route: 'settings', label: 'Settings', icon: Settings, key: '9' },
];

