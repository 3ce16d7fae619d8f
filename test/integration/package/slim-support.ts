/** Helpers for the slim tests: a local package that strip damages, and a per-process container log. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * vendor/payload: an extension with bytes appended after its ELF data, checked at import (as
 * self-extracting or resource-carrying modules do). strip rewrites the file from its sections and
 * drops the trailer, so the stripped copy fails to import: slim must restore the original.
 * Built with -g so that stripping has something to remove. Also ships a tests/ folder.
 */
export function payloadPackage(vendor: string): void {
  const dir = join(vendor, 'payload');
  mkdirSync(join(dir, 'payloadpkg', 'tests'), { recursive: true });
  writeFileSync(join(dir, 'payloadpkg', '__init__.py'), 'VERSION = "1.0"\n');
  writeFileSync(join(dir, 'payloadpkg', 'tests', '__init__.py'), '');
  writeFileSync(
    join(dir, 'payloadpkg', 'tests', 'test_payload.py'),
    'def test_ok():\n    import payload\n    assert payload.ok()\n',
  );
  writeFileSync(
    join(dir, 'setup.py'),
    `from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


class AppendPayload(build_ext):
    def build_extension(self, ext):
        super().build_extension(ext)
        with open(self.get_ext_fullpath(ext.name), "ab") as handle:
            handle.write(b"LBUILD-PAYLOAD!!")


setup(
    name="payload",
    version="1.0.0",
    packages=["payloadpkg", "payloadpkg.tests"],
    ext_modules=[Extension("payload", sources=["payload.c"], extra_compile_args=["-g"])],
    cmdclass={"build_ext": AppendPayload},
)
`,
  );
  writeFileSync(
    join(dir, 'payload.c'),
    `#define PY_SSIZE_T_CLEAN
#define _GNU_SOURCE
#include <Python.h>
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

static PyObject *ok(PyObject *self, PyObject *args) { Py_RETURN_TRUE; }
static PyMethodDef methods[] = {{"ok", ok, METH_NOARGS, "True when the payload was found."}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "payload", NULL, -1, methods};

PyMODINIT_FUNC PyInit_payload(void) {
    Dl_info info;
    char tail[17] = {0};
    FILE *self = NULL;
    if (dladdr((void *)PyInit_payload, &info) && (self = fopen(info.dli_fname, "rb")) != NULL) {
        if (fseek(self, -16, SEEK_END) == 0) fread(tail, 1, 16, self);
        fclose(self);
    }
    if (strcmp(tail, "LBUILD-PAYLOAD!!") != 0) {
        PyErr_SetString(PyExc_ImportError, "payload trailer missing");
        return NULL;
    }
    return PyModule_Create(&module);
}
`,
  );
}

/** Containers created since `since` by this test process (the engine is shared with other work). */
export { containersCreatedSince as containersOfThisProcessSince } from '../../support/docker.js';
