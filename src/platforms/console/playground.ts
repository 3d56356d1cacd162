// The local playground: a terminal chat with the bot, the same grammar as Slack, and a controllable clock.
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { DateTime } from 'luxon';
import { encodeAction, encodeForm, type Button, type Modal, type Reply } from '../../core/reply.js';
import type { Inbound, InboundRequest, InboundUser } from '../../app/inbound.js';
import type { Log } from '../../app/ports.js';
import { parseCohortText, parseCommandText } from '../../app/grammar.js';
import { clockTarget, CLOCK_RANGE, type SimulatedClock } from './clock.js';
import type { ConsoleInbox } from './messenger.js';
import { renderReply } from './render.js';

export interface PlaygroundOptions {
  handle(inbound: Inbound): Promise<Reply>;
  /** Runs what is due after the clock moved (the scheduler's tick), so lessons arrive by themselves. */
  onClockMoved?(): Promise<void>;
  clock: SimulatedClock;
  input: Readable;
  output: Writable;
  /** Echo each input line (`> /learn today`) so a piped transcript reads like a chat log. */
  echo: boolean;
  user: string;
  /** The zone `/clock` reads wall times in and shows the time in. */
  zone: string;
  /** Where a failure goes; the person is told something went wrong and the playground keeps going. */
  log: Log;
}

const COMMUNITY = { platform: 'console' as const, externalId: 'playground', name: 'Local playground' };

const PLAYGROUND_HELP = [
  'Talk to the bot as in Slack: `/learn help`, `/learn start Europe/Berlin 09:00`, `/learn today`, `/learn quiz`.',
  'Press a button by typing its number. Playground only:',
  '  /clock             show the simulated time',
  '  /clock +1d         move it (+3h, +30m, -1d, or a time like 2026-03-29T08:00)',
  '  /as <name> [lead]  talk as someone else (lead: as a cohort lead)',
  '  /quit              leave',
].join('\n');

const CLOCK_YEARS = `${CLOCK_RANGE.from.getUTCFullYear()} and the end of ${CLOCK_RANGE.until.getUTCFullYear() - 1} (UTC)`;

interface PendingForm {
  modal: Modal;
  values: Record<string, string>;
}

export class Playground implements ConsoleInbox {
  private buttons: Button[] = [];
  private form: PendingForm | null = null;
  private user: InboundUser;

  constructor(private readonly options: PlaygroundOptions) {
    this.user = { externalId: options.user, displayName: options.user };
  }

  private print(text: string): void {
    this.options.output.write(`${text}\n`);
  }

  private now(): string {
    return DateTime.fromJSDate(this.options.clock.now(), { zone: this.options.zone }).toFormat("ccc d LLL yyyy, HH:mm ZZZZ");
  }

  private ask(request: InboundRequest): Promise<Reply> {
    return this.options.handle({ community: COMMUNITY, user: this.user, request });
  }

  private async send(request: InboundRequest): Promise<void> {
    this.show(await this.ask(request));
  }

  /** A message the bot sends on its own (a daily lesson, a nudge). */
  receive(to: string, reply: Reply): void {
    const forSomeoneElse = to !== this.user.externalId;
    this.print(`📬 ${forSomeoneElse ? `(to ${to}) ` : ''}New message from Backend Mentor:`);
    if (forSomeoneElse) return this.print(renderReply(reply).text);
    this.show(reply);
  }

  private show(reply: Reply): void {
    if (reply.modal) {
      this.form = { modal: reply.modal, values: {} };
      this.print(`── ${reply.modal.title} ── (type /cancel to stop)`);
      this.askField();
      return;
    }
    const rendered = renderReply(reply);
    if (rendered.buttons.length) this.buttons = rendered.buttons;
    this.print(rendered.text);
  }

  private askField(): void {
    const form = this.form!;
    const field = form.modal.fields.find((f) => !(f.name in form.values))!;
    this.print(`${field.label}${field.required ? '' : ' (or - to skip)'}:`);
  }

  private async answerField(line: string): Promise<void> {
    const form = this.form!;
    if (line === '/cancel') {
      this.form = null;
      this.print('Cancelled.');
      return;
    }
    const field = form.modal.fields.find((f) => !(f.name in form.values))!;
    const value = line === '-' && !field.required ? '' : line;
    if (field.required && !value) {
      this.print('This one is needed.');
      return this.askField();
    }
    form.values[field.name] = value;
    if (form.modal.fields.some((f) => !(f.name in form.values))) return this.askField();
    this.form = null;
    const reply = await this.ask({ type: 'form', formId: encodeForm(form.modal.form), fields: form.values });
    // A refusal about one field keeps the rest of the form and asks for that field again, so the next
    // line typed goes into the form rather than pressing an old button.
    const bad = !reply.modal && form.modal.fields.find((f) => f.name === reply.invalidField);
    if (!bad) return this.show(reply);
    delete form.values[bad.name];
    this.form = form;
    this.print(renderReply({ ...reply, actions: [] }).text);
    this.askField();
  }

  private async moveClock(arg: string): Promise<void> {
    if (arg) {
      const target = clockTarget(arg, this.options.clock.now(), this.options.zone);
      if (!target.ok && target.reason === 'unreadable') return this.print('Try `/clock +1d`, `/clock +3h`, `/clock -30m` or `/clock 2026-03-29T08:00`.');
      if (!target.ok) return this.print(`That is too far: the playground clock stays between ${CLOCK_YEARS}. It is still ${this.now()}.`);
      this.options.clock.set(target.at);
    }
    this.print(`🕒 It is now ${this.now()}.`);
    if (arg) await this.options.onClockMoved?.();
  }

  private switchUser(args: string[]): void {
    const [name, role] = args;
    if (!name || !/^[\w.-]{1,32}$/.test(name) || (role !== undefined && role !== 'lead')) {
      return this.print('Try `/as alice` or `/as bob lead` (names: letters, digits, . _ -).');
    }
    this.user = { externalId: name, displayName: name, isAdmin: role === 'lead' };
    this.buttons = [];
    this.print(`You are now ${name}${role ? ' (cohort lead)' : ''}.`);
  }

  /** Handles one line of input; never throws: a failure is logged and the prompt comes back. False on `/quit`. */
  async line(raw: string): Promise<boolean> {
    try {
      return await this.handleLine(raw);
    } catch (error) {
      this.options.log.error({ err: error, platform: 'console' }, 'playground line failed');
      this.print('⚠️ Something went wrong on my side (the details are in the log). The playground is still running: try again or type another command.');
      return true;
    }
  }

  private async handleLine(raw: string): Promise<boolean> {
    const line = raw.trim();
    if (this.options.echo && line) this.print(`> ${line}`);
    if (!line) return true;
    if (this.form) {
      await this.answerField(line);
      return true;
    }
    const [head = '', ...rest] = line.split(/\s+/);
    switch (head.toLowerCase()) {
      case '/learn':
        await this.send(parseCommandText(rest.join(' ')));
        break;
      case '/cohort':
        await this.send(parseCohortText(rest.join(' ')));
        break;
      case '/clock':
        await this.moveClock(rest.join(' '));
        break;
      case '/as':
        this.switchUser(rest);
        break;
      case '/help':
      case 'help':
        this.print(PLAYGROUND_HELP);
        break;
      case '/quit':
      case '/exit':
        return false;
      default:
        if (/^\d+$/.test(line)) {
          const button = this.buttons[Number(line) - 1];
          if (!button) this.print(this.buttons.length ? `Pick a number from 1 to ${this.buttons.length}.` : 'There are no buttons to press right now.');
          else await this.send({ type: 'action', actionId: encodeAction(button.action) });
        } else {
          this.print("I didn't catch that. Commands start with `/learn` (try `/learn help`), or type `/help` for the playground.");
        }
    }
    return true;
  }

  /** Reads lines until input ends or `/quit`, one at a time so replies stay in order. */
  async run(): Promise<void> {
    const interactive = !this.options.echo;
    this.print(`Backend Mentor playground. ${this.now()}. Type /help for help, /learn start to begin.`);
    const rl = createInterface({ input: this.options.input, output: interactive ? this.options.output : undefined, terminal: interactive });
    if (interactive) {
      rl.setPrompt(`${this.user.displayName}> `);
      rl.prompt();
    }
    for await (const raw of rl) {
      const keepGoing = await this.line(raw);
      if (!keepGoing) break;
      if (interactive) {
        rl.setPrompt(`${this.user.displayName}> `);
        rl.prompt();
      }
    }
    rl.close();
  }
}
