// Slack's documented limits, named once so the renderers stay inside them.
// https://docs.slack.dev/reference/block-kit/blocks and .../block-elements, views, chat.postMessage.

export const SECTION_TEXT_MAX = 3000;
export const SECTION_FIELDS_MAX = 10;
export const FIELD_TEXT_MAX = 2000;
export const HEADER_TEXT_MAX = 150;
export const MESSAGE_BLOCKS_MAX = 50;
export const VIEW_BLOCKS_MAX = 100;
export const ACTIONS_ELEMENTS_MAX = 25;
export const BUTTON_TEXT_MAX = 75;
export const ACTION_ID_MAX = 255;
export const BUTTON_VALUE_MAX = 2000;
export const MODAL_TITLE_MAX = 24;
export const INPUT_LABEL_MAX = 2000;
export const PLACEHOLDER_MAX = 150;
/** plain_text_input's max_length (and so its initial_value) is at most 3000. */
export const TEXT_INPUT_MAX = 3000;
export const PRIVATE_METADATA_MAX = 3000;
export const CALLBACK_ID_MAX = 255;
/** The top-level `text` is only the notification and accessibility fallback when blocks are present. */
export const FALLBACK_TEXT_MAX = 3000;
/** A file is shown inline as a code block up to this size; larger ones are uploaded. */
export const INLINE_FILE_MAX = 2800;
