export { createSlackAdapter, type SlackAdapter, type SlackAdapterOptions, type SlackConfig } from './adapter.js';
export { BOT_SCOPES } from './scopes.js';
