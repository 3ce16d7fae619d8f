/** One way a project could run on Lambda, as a detector found it; init picks one per project. */
import type { FunctionConfig } from '../config/types.js';
import type { Language, RuntimeName } from '../runtimes/catalog.js';

export interface AppCandidate {
  /** "Flask app `app` in app.py": shown in choices and in the report. */
  label: string;
  language: Language;
  /** The function this app becomes (handler, or a web function's entryPoint). */
  fn: FunctionConfig;
  /** Serves HTTP: it gets API Gateway routes for every path. */
  http: boolean;
  /** Django: its settings module (django.settingsModule). */
  djangoSettings?: string;
  /** A runtime the kind of function requires (web functions run on nodejs24.x only). */
  runtime?: RuntimeName;
  /** Not-mapped lines that apply once this candidate is chosen. */
  caveats: string[];
}

/** API Gateway routes that send every path, "/" included, to one function. */
export const everyPath = ['ANY /', 'ANY /{proxy+}'];
