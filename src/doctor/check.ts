/** One line of `lbuild doctor`: what was checked, whether it passed, and how to fix it if not. */
export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}
