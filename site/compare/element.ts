// <mpm-compare>: the comparison's code loads when it comes into view or is touched.
import { defineLazy } from '../playground/lazy-element.js';

defineLazy('mpm-compare', 'comparison', () => import('./app.ts'));
