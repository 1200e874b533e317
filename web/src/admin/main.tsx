// Entry of the admin console (/admin).
import { render } from 'preact';
import '../shared/base.css';
import './admin.css';
import { AdminApp } from './app.js';

const root = document.getElementById('app')!;
// Replace the static "Loading…" placeholder (Preact's render would keep it).
root.textContent = '';
render(<AdminApp />, root);
