/** `lbuild manage`'s library side. */
export { runManage } from './run-manage.js';
export type { ManageOptions, ManageResult } from './manage-types.js';
