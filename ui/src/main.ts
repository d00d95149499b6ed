import { mount } from 'svelte';
import App from './App.svelte';
import { registerFonts } from './lib/fonts';
import './app.css';

registerFonts();
const target = document.getElementById('app');
if (target) mount(App, { target });
