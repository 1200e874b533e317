// Entry of the customer page (/).
import { render } from 'preact';
import '../shared/base.css';
import './customer.css';
import { CustomerApp } from './app.js';

const root = document.getElementById('app')!;
// Replace the static "Loading…" placeholder (Preact's render would keep it).
root.textContent = '';
render(<CustomerApp />, root);
