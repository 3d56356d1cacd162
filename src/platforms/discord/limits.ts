// Discord's hard limits (https://discord.com/developers/docs/resources/message, .../interactions).
// Exceeding any of them makes Discord reject the whole message with 50035 Invalid Form Body.
export const DISCORD = {
  contentMax: 2000,
  embedTitleMax: 256,
  embedDescriptionMax: 4096,
  embedFieldsMax: 25,
  embedFieldNameMax: 256,
  embedFieldValueMax: 1024,
  /** Title, description, field names and values together, across a message's embeds. */
  embedTotalMax: 6000,
  buttonsPerRow: 5,
  rowsMax: 5,
  buttonLabelMax: 80,
  customIdMax: 100,
  modalTitleMax: 45,
  modalLabelMax: 45,
  modalFieldsMax: 5,
  placeholderMax: 100,
  textInputMax: 4000,
  commandDescriptionMax: 100,
  optionChoicesMax: 25,
  optionChoiceNameMax: 100,
  /** Files on one message, and the alt text (description) of each. */
  attachmentsMax: 10,
  attachmentDescriptionMax: 1024,
  /** A message nonce: an integer or a string of at most 25 characters. */
  nonceMax: 25,
  /** An interaction must be acknowledged this soon after Discord sends it. */
  ackWindowMs: 3000,
} as const;

/** Cuts text to `max` characters, marking the cut with an ellipsis. */
export function clamp(text: string, max: number): string {
  if (text.length <= max) return text;
  return max <= 0 ? '' : `${text.slice(0, max - 1)}…`;
}
