// Reply -> the App Home tab (views.publish). The dashboard is always there; the result of the last
// button pressed on Home (a quiz question, a verdict, a refusal) sits above it.
import type { HomeView, KnownBlock } from '@slack/types';
import type { Reply } from '../../core/reply.js';
import { VIEW_BLOCKS_MAX } from './limits.js';
import { renderBlocks } from './render.js';

export function homeView(dashboard: Reply, result?: Reply): HomeView {
  const top: KnownBlock[] = result ? [...renderBlocks(result, VIEW_BLOCKS_MAX / 2).blocks, { type: 'divider' }] : [];
  const below = renderBlocks(dashboard, VIEW_BLOCKS_MAX - top.length).blocks;
  return { type: 'home', blocks: [...top, ...below] };
}
