// Reply -> the App Home tab (views.publish). The dashboard is always there; the result of the last
// button pressed on Home (a quiz question, a verdict, a refusal) sits above it.
import type { HomeView, KnownBlock } from '@slack/types';
import type { Reply } from '../../core/reply.js';
import { VIEW_BLOCKS_MAX } from './limits.js';
import { renderBlocks } from './render.js';

/** `note` (mrkdwn) follows the result: where its files went, since Home cannot show them. */
export function homeView(dashboard: Reply, result?: Reply, note?: string): HomeView {
  const noted: KnownBlock[] = note ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: note }] }] : [];
  const top: KnownBlock[] = result ? [...renderBlocks(result, VIEW_BLOCKS_MAX / 2 - noted.length).blocks, ...noted, { type: 'divider' }] : [];
  const below = renderBlocks(dashboard, VIEW_BLOCKS_MAX - top.length).blocks;
  return { type: 'home', blocks: [...top, ...below] };
}
