/**
 * The two lists `lbuild init` prints: what it mapped, and (one line each) what it could not. Every
 * detector and importer writes to one Notes, so the report is complete and in the order of the work.
 */
import type { Ask, Choice, ChoiceMade } from './init-types.js';

export class Notes {
  readonly mapped: string[] = [];
  readonly notMapped: string[] = [];
  readonly choices: ChoiceMade[] = [];

  /** interactive: `ask` puts the question to a person (a terminal without --yes). */
  constructor(
    private readonly ask: Ask,
    private readonly interactive: boolean,
  ) {}

  map(line: string): void {
    this.mapped.push(line);
  }

  skip(line: string): void {
    this.notMapped.push(line);
  }

  /** Asks only when there is something to choose between; records the answer either way. */
  async choose(choice: Choice): Promise<string> {
    if (choice.options.length < 2) return choice.default;
    const answer = await this.ask(choice);
    const valid = choice.options.includes(answer) ? answer : choice.default;
    this.choices.push({
      question: choice.question,
      answer: valid,
      by: this.interactive && valid === answer ? 'user' : 'default',
    });
    return valid;
  }
}
