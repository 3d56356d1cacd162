// The bot scopes the app asks for; slack-manifest.yaml lists the same (a test keeps them in step).
export const BOT_SCOPES = [
  'commands', // /learn and /cohort
  'chat:write', // lessons, replies, nudges
  'im:write', // open the DM a lesson goes to
  'im:history', // find a lesson already posted, so a retried delivery is not doubled
  'channels:history', // the same for posts in a public cohort channel
  'groups:history', // ... and in a private one
  'users:read', // display names and the workspace-admin flag
  'usergroups:read', // which user groups someone is in: a user group can lead a cohort
  'files:write', // exports and the `/cohort stats` chart
] as const;
