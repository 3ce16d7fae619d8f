// _X_AMZN_TRACE_ID changes on every invocation. Setting it through process.env calls setenv(3),
// and glibc keeps every value ever set (setenv never frees the strings it made): about 165 bytes
// per invocation, 10 MB a minute per worker under load (measured; AWS's client has the same
// growth). lbuild's bootstrap keeps this one variable in JavaScript instead: process.env becomes a
// view of the real environment in which _X_AMZN_TRACE_ID lives in a variable. Reading, `in`,
// enumeration (so child processes get it), assignment and delete behave as before.
const traceVar = '_X_AMZN_TRACE_ID';

export function keepTraceIdInJavaScript() {
  const real = process.env;
  let value = real[traceVar];
  if (value !== undefined) delete real[traceVar];
  process.env = new Proxy(real, {
    get: (target, key) => (key === traceVar ? value : Reflect.get(target, key)),
    set(target, key, next) {
      if (key !== traceVar) return Reflect.set(target, key, next);
      value = String(next); // process.env stores strings
      return true;
    },
    deleteProperty(target, key) {
      if (key !== traceVar) return Reflect.deleteProperty(target, key);
      value = undefined;
      return true;
    },
    has: (target, key) => (key === traceVar ? value !== undefined : Reflect.has(target, key)),
    ownKeys: (target) =>
      value === undefined ? Reflect.ownKeys(target) : [...Reflect.ownKeys(target), traceVar],
    getOwnPropertyDescriptor(target, key) {
      if (key !== traceVar) return Reflect.getOwnPropertyDescriptor(target, key);
      return value === undefined
        ? undefined
        : { value, writable: true, enumerable: true, configurable: true };
    },
    defineProperty(target, key, descriptor) {
      if (key !== traceVar) return Reflect.defineProperty(target, key, descriptor);
      value = String(descriptor.value);
      return true;
    },
  });
}
