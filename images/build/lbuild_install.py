"""lbuild's Python dependency installer (runs inside the build container).

Turns whichever dependency file the project uses into a pip install into the zip root
(`pip install --target`), so compiled extensions are built against this image's Python and glibc.
"""
import json
import os
import shutil
import subprocess
import sys


def fail(message):
    sys.stderr.write("lbuild-install: %s\n" % message)
    sys.exit(2)


def load_toml(path):
    try:
        import tomllib  # Python 3.11+
    except ImportError:
        try:
            from pip._vendor import tomli as tomllib  # pip ships a TOML reader for older Pythons
        except ImportError:
            fail("cannot read %s: no TOML reader in this image (needs Python 3.11+ or a recent pip)" % path)
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def requirements_from_pipfile_lock(path):
    """Pipfile.lock is JSON: the "default" section pins the runtime dependencies."""
    with open(path) as handle:
        lock = json.load(handle)
    lines = []
    for name, spec in sorted(lock.get("default", {}).items()):
        if "version" in spec:
            lines.append("%s%s" % (name, spec["version"]))
        elif "path" in spec:
            lines.append(spec["path"])
        else:
            lines.append(name)
    return lines


def requirements_from_pyproject(path):
    project = load_toml(path).get("project", {})
    return list(project.get("dependencies", []))


def export_with(tool, args):
    if shutil.which(tool) is None:
        fail("%s is not installed in the build image; add it to your build image, or export a requirements.txt "
             "and point package.dependencies at it" % tool)
    return subprocess.run([tool] + args, check=True, capture_output=True, text=True).stdout.splitlines()


def requirement_lines(kind, path):
    if kind == "requirements":
        return None  # pip reads it directly with -r, keeping its options and includes
    if kind == "pyproject":
        return requirements_from_pyproject(path)
    if kind == "pipenv":
        return requirements_from_pipfile_lock(path)
    if kind == "poetry":
        return export_with("poetry", ["export", "--without-hashes", "--format", "requirements.txt"])
    if kind == "uv":
        return export_with("uv", ["export", "--frozen", "--no-hashes", "--no-dev", "--format", "requirements-txt"])
    fail("unknown dependency kind %r" % kind)


def main():
    kind, path, out = sys.argv[1:4]
    extra = sys.argv[4:]
    lines = requirement_lines(kind, path)
    if lines is not None:
        path = "/tmp/lbuild-requirements.txt"
        with open(path, "w") as handle:
            handle.write("\n".join(line for line in lines if line.strip()) + "\n")
    command = [sys.executable, "-m", "pip", "install", "--target", out, "--no-compile",
               "--disable-pip-version-check", "--no-warn-script-location", "-r", path] + extra
    print("+ " + " ".join(command), flush=True)
    os.environ.setdefault("PIP_NO_INPUT", "1")
    result = subprocess.run(command)
    if result.returncode != 0:
        sys.exit(result.returncode)
    # pip --target leaves a bin/ of console scripts with a shebang for this image's Python: useless on Lambda.
    shutil.rmtree(os.path.join(out, "bin"), ignore_errors=True)


if __name__ == "__main__":
    main()
