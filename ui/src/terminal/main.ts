// The member's terminal, served by the meeting-room server (design/terminals.md).
import { mount } from 'svelte';
import Terminal from './Terminal.svelte';
import { setReader } from '../lib/reader';
import { terminalReader } from './api';
import '../app.css';

setReader(terminalReader);
const target = document.getElementById('app');
if (target) mount(Terminal, { target });
