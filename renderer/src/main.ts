import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { theme } from './lib/stores/theme.svelte';
import { connection } from './lib/stores/connection.svelte';

theme.init();
// Take ?token= (and remove it from the address bar) before anything renders.
void connection.init();
const app = mount(App, { target: document.getElementById('app')! });

export default app;
