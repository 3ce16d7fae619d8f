export {
  planDebug,
  debugNotes,
  defaultDebugPorts,
  type DebugRequest,
  type DebugTarget,
} from './debug-plan.js';
export {
  launchConfigurations,
  launchJson,
  writeLaunchJson,
  type LaunchConfiguration,
  type LaunchJson,
} from './launch-config.js';
export { ensurePythonDebugLayer, debugLayerDir } from './python-debug-layer.js';
