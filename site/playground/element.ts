// <mpm-playground>: the only playground code in a lesson's initial bundle; the
// app loads when the playground scrolls into view or is touched.
import { defineLazy } from './lazy-element.js';

defineLazy('mpm-playground', 'playground', () => import('./app.ts'));
