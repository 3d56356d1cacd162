// What both Discord and Slack can show without truncation, with room for the bot's own framing.
// Discord: 4096 chars per embed description, 80 per button label; Slack: 3000 per section block, 75 per button.
export const LIMITS = {
  idPattern: /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
  idMax: 48,
  titleMax: 80,
  bodyMax: 1500,
  choiceMax: 75,
  choicesMin: 2,
  choicesMax: 5, // one row of buttons on Discord
  questionsMin: 3,
  questionsMax: 5,
  promptMax: 300,
  explanationMax: 600,
  practicePromptMax: 800,
  minutesMin: 1,
  minutesMax: 10,
  /** No answer position may hold more than this share of a course's answers. */
  answerPositionShareMax: 0.4,
  /** At least this share of lessons are experiments: try, fail, look at why. */
  experimentShareMin: 1 / 3,
  challengeBodyMax: 1500,
} as const;
