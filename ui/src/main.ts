import { mount } from 'svelte';
import App from './App.svelte';
import { registerFonts } from './lib/fonts';
import { warmUpPdf } from './lib/evidence';
import './app.css';

registerFonts();
const target = document.getElementById('app');
if (target) mount(App, { target });
// The first evidence PDF opens as fast as the next ones (a failure here
// shows again, in the viewer, when a PDF is opened).
setTimeout(() => warmUpPdf().catch(() => {}), 0);
