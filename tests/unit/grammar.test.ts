import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COHORT_COMMANDS } from '../../src/app/cohort/commands/index.js';
import { LEARNER_COMMANDS } from '../../src/app/commands/index.js';
import { parseCohortText, parseCommandText } from '../../src/app/grammar.js';

const command = (verb: string, args: Record<string, string | undefined>) => ({ type: 'command', verb, args });

describe('parseCommandText', () => {
  it('maps start arguments to timezone and time', () => {
    expect(parseCommandText('start Europe/Berlin 09:00')).toEqual(command('start', { timezone: 'Europe/Berlin', time: '09:00' }));
  });

  it('leaves missing positional arguments undefined', () => {
    expect(parseCommandText('start Asia/Kolkata')).toEqual(command('start', { timezone: 'Asia/Kolkata', time: undefined }));
    expect(parseCommandText('settings')).toEqual(command('settings', { key: undefined, value: undefined }));
  });

  it('maps settings key and value', () => {
    expect(parseCommandText('settings time 18:30')).toEqual(command('settings', { key: 'time', value: '18:30' }));
  });

  it('maps streak detail', () => {
    expect(parseCommandText('streak why')).toEqual(command('streak', { detail: 'why' }));
  });

  it('keeps the whole rest of the line in the practice note', () => {
    expect(parseCommandText('practice ran curl -v https://x.y')).toEqual(command('practice', { note: 'ran curl -v https://x.y' }));
  });

  it('collapses runs of whitespace in the practice note', () => {
    expect(parseCommandText('  practice   ran\tit   twice ')).toEqual(command('practice', { note: 'ran it twice' }));
  });

  it('gives practice without text an undefined note', () => {
    expect(parseCommandText('practice')).toEqual(command('practice', { note: undefined }));
  });

  it('puts extra tokens of a non-rest command in _extra', () => {
    expect(parseCommandText('start Europe/Berlin 09:00 tomorrow please')).toEqual(
      command('start', { timezone: 'Europe/Berlin', time: '09:00', _extra: 'tomorrow please' }),
    );
    expect(parseCommandText('today now')).toEqual(command('today', { _extra: 'now' }));
  });

  it('matches verbs case-insensitively but keeps argument case', () => {
    expect(parseCommandText('START Europe/Berlin 09:00')).toEqual(command('start', { timezone: 'Europe/Berlin', time: '09:00' }));
    expect(parseCommandText('Practice Tried IT')).toEqual(command('practice', { note: 'Tried IT' }));
  });

  it.each(['', '   ', '\n\t'])('treats blank text %j as help', (text) => {
    expect(parseCommandText(text)).toEqual(command('help', {}));
  });

  it('passes an unknown verb through with no args', () => {
    expect(parseCommandText('Dance wildly now')).toEqual(command('dance', {}));
  });

  it('parses every known verb to itself, with exactly its params as keys', () => {
    const verbs = LEARNER_COMMANDS.map((c) => c.verb);
    expect(verbs).toEqual(expect.arrayContaining(['start', 'practice', 'settings', 'help']));
    for (const c of LEARNER_COMMANDS) {
      const parsed = parseCommandText(c.verb);
      expect(parsed.verb).toBe(c.verb);
      expect(Object.keys(parsed.args).sort()).toEqual([...c.params].sort());
    }
  });

  it('never loses a token: args rejoin to the text after the verb', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9/:.+-]{1,12}$/);
    fc.assert(
      fc.property(fc.constantFrom(...LEARNER_COMMANDS), fc.array(token, { maxLength: 6 }), (c, tokens) => {
        const { verb, args } = parseCommandText([c.verb, ...tokens].join(' '));
        expect(verb).toBe(c.verb);
        const values = [...c.params.map((p) => args[p]), args._extra].filter((v): v is string => v !== undefined);
        expect(values.join(' ')).toBe(tokens.join(' '));
      }),
    );
  });
});

describe('parseCohortText', () => {
  const cohort = (verb: string, args: Record<string, string | undefined>) => ({ type: 'command', group: 'cohort', verb, args });

  it('matches two-word verbs and keeps a spaced deadline whole', () => {
    expect(parseCohortText('challenge post cache-slow-endpoint 2026-05-15 18:00')).toEqual(cohort('challenge post', { template: 'cache-slow-endpoint', deadline: '2026-05-15 18:00' }));
    expect(parseCohortText('challenge extend #3 +2d')).toEqual(cohort('challenge extend', { challenge: '#3', deadline: '+2d' }));
    expect(parseCohortText('Challenge NEW')).toEqual(cohort('challenge new', {}));
    expect(parseCohortText('leads add <@U123>')).toEqual(cohort('leads add', { who: '<@U123>' }));
  });

  it('maps one-word verbs, and defaults to help', () => {
    expect(parseCohortText('channel <#C1|cohort>')).toEqual(cohort('channel', { channel: '<#C1|cohort>' }));
    expect(parseCohortText('review')).toEqual(cohort('review', {}));
    expect(parseCohortText('')).toEqual(cohort('help', {}));
    expect(parseCohortText('settings timezone Europe/Berlin')).toEqual(cohort('settings', { key: 'timezone', value: 'Europe/Berlin' }));
  });

  it('passes extra tokens on, so the app can refuse them', () => {
    expect(parseCohortText('stats please')).toEqual(cohort('stats', { _extra: 'please' }));
    expect(parseCohortText('challenge close 3 4')).toEqual(cohort('challenge close', { challenge: '3', _extra: '4' }));
  });

  it('leaves unknown verbs for the app to answer', () => {
    expect(parseCohortText('challenge')).toEqual(cohort('challenge', {}));
    expect(parseCohortText('dance now')).toEqual(cohort('dance', {}));
  });

  it('gives every cohort verb a parse that finds it again', () => {
    for (const command of COHORT_COMMANDS) expect(parseCohortText(command.verb).verb).toBe(command.verb);
  });
});
