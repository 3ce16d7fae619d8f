"""Turns the Python distributions Debian installed into wheels, inside a Debian container.

Run by scripts/debian-wheels.mjs after `apt-get install python3-...`. This repository's tests need
real frameworks in their zips and PyPI is unreachable here, so Debian's packages are repackaged:
a test's pip then installs them from a local folder (--find-links) as it would from PyPI.

Which files belong to a distribution comes from dpkg's own list for the Debian package that owns its
metadata folder: dh_python drops most RECORD files, and egg-info folders carry no installed-files
list, so dpkg is the one source that is always there and always right.

Usage: python3 debian-wheels.py <output folder>
"""
import base64
import email.parser
import hashlib
import os
import re
import subprocess
import sys
import zipfile

SITE = "/usr/lib/python3/dist-packages"
# Fixed entry times and sorted entries: the same Debian package gives the same wheel bytes.
EPOCH = (1980, 1, 1, 0, 0, 0)
EXTENSION = re.compile(r"\.cpython-(\d+)-x86_64-linux-gnu\.so$")


def metadata_folders():
    return sorted(n for n in os.listdir(SITE) if n.endswith((".dist-info", ".egg-info")))


def owner(path):
    out = subprocess.run(["dpkg", "-S", path], capture_output=True, text=True, check=True).stdout
    return out.split(":", 1)[0].strip()


def package_files(package):
    out = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True, check=True).stdout
    prefix = SITE + "/"
    return [p[len(prefix):] for p in out.splitlines() if p.startswith(prefix) and os.path.isfile(p)]


def read_metadata(folder):
    """The METADATA text, from a dist-info's METADATA or an egg-info's PKG-INFO + requires.txt."""
    path = os.path.join(SITE, folder)
    if folder.endswith(".dist-info"):
        return open(os.path.join(path, "METADATA"), encoding="utf-8").read()
    info = os.path.join(path, "PKG-INFO") if os.path.isdir(path) else path
    text = open(info, encoding="utf-8").read()
    requires = os.path.join(path, "requires.txt")
    if "\nRequires-Dist:" in text or not os.path.isfile(requires):
        return text
    head, _, body = text.partition("\n\n")
    lines = [f"Requires-Dist: {r}" for r in requires_dist(open(requires, encoding="utf-8").read())]
    head = re.sub(r"^Metadata-Version: 1\.\d+$", "Metadata-Version: 2.1", head, flags=re.M)
    return head + "\n" + "\n".join(lines) + ("\n\n" + body if body else "\n")


def requires_dist(requires_txt):
    """setuptools' requires.txt ([extra:marker] sections) as Requires-Dist values with markers."""
    result, marker = [], ""
    for raw in requires_txt.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        section = re.fullmatch(r"\[(.*)\]", line)
        if section:
            extra, _, condition = section.group(1).partition(":")
            parts = [f"({condition})"] if condition else []
            parts += [f'extra == "{extra}"'] if extra else []
            marker = " and ".join(parts)
            continue
        result.append(f"{line}; {marker}" if marker else line)
    return result


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def normalize(name):
    return re.sub(r"[-_.]+", "_", name).lower()


def wheel_tag(files):
    versions = sorted({m.group(1) for f in files for m in [EXTENSION.search(f)] if m}, key=int)
    if versions:
        tags = ".".join(f"cp{v}" for v in versions)
        return f"{tags}-{tags}-linux_x86_64", False
    if any(f.endswith(".so") for f in files):
        v = f"{sys.version_info.major}{sys.version_info.minor}"
        return f"cp{v}-abi3-linux_x86_64", False
    return "py3-none-any", True


def record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def debian_depends(package):
    """The Debian packages a package depends on (first of each alternative, no versions)."""
    out = subprocess.run(
        ["dpkg-query", "-W", "-f=${Depends}", package], capture_output=True, text=True, check=True
    ).stdout
    return [re.split(r"[\s:(]", d.split("|")[0].strip())[0] for d in out.split(",") if d.strip()]


def add_debian_depends(metadata, dependencies):
    """Requirements Debian moved from the metadata into its own Depends, put back.

    Some Debian packages strip install_requires (bookworm's Flask lists no Werkzeug), so pip would
    install the framework without its libraries; Debian's Depends name them.
    """
    head, sep, body = metadata.partition("\n\n")
    named = {
        canonical(re.split(r"[\s;<>=!~\[(]", line.split(":", 1)[1].strip())[0])
        for line in head.split("\n")
        if line.startswith("Requires-Dist:") and ";" not in line
    }
    missing = [d for d in dependencies if canonical(d) not in named]
    lines = "".join(f"\nRequires-Dist: {d}" for d in missing)
    return head + lines + sep + body


def name_and_version(metadata):
    header = email.parser.Parser().parsestr(metadata, headersonly=True)
    return header["Name"], header["Version"]


def match_debian(metadata, installed):
    """Pins that exclude the version Debian ships beside it, set to that version.

    Debian patches some packages to work with the versions it ships without touching their
    metadata (bookworm's FastAPI 0.92 asks for Starlette < 0.26 and runs on Debian's 0.26.1), so
    pip would refuse the set Debian tested together.
    """
    from packaging.requirements import Requirement
    from packaging.specifiers import SpecifierSet
    from packaging.utils import canonicalize_name

    head, sep, body = metadata.partition("\n\n")
    lines = []
    for line in head.split("\n"):
        if line.startswith("Requires-Dist:"):
            req = Requirement(line.split(":", 1)[1].strip())
            shipped = installed.get(canonicalize_name(req.name))
            if shipped and req.specifier and not req.specifier.contains(shipped, prereleases=True):
                req.specifier = SpecifierSet(f"=={shipped}")
                line = f"Requires-Dist: {req}"
        lines.append(line)
    return "\n".join(lines) + sep + body


def build_wheel(folder, files, metadata, out_dir):
    raw_name, version = name_and_version(metadata)
    name = normalize(raw_name)
    dist_info = f"{name}-{version}.dist-info"
    meta_prefix = folder + "/"
    code = sorted(
        f
        for f in files
        if not f.startswith(meta_prefix) and f != folder
        and "__pycache__/" not in f and not f.endswith(".pyc")
    )
    tag, pure = wheel_tag(code)
    entries = [(f, open(os.path.join(SITE, f), "rb").read()) for f in code]
    entries.append((f"{dist_info}/METADATA", metadata.encode()))
    for extra in ("entry_points.txt", "top_level.txt", "LICENSE", "LICENSE.txt"):
        path = os.path.join(SITE, folder, extra)
        if os.path.isfile(path):
            entries.append((f"{dist_info}/{extra}", open(path, "rb").read()))
    wheel = (
        "Wheel-Version: 1.0\nGenerator: lbuild debian-wheels\n"
        f"Root-Is-Purelib: {'true' if pure else 'false'}\nTag: {tag}\n"
    )
    entries.append((f"{dist_info}/WHEEL", wheel.encode()))
    record = [record_line(n, d) for n, d in entries] + [f"{dist_info}/RECORD,,"]
    entries.append((f"{dist_info}/RECORD", ("\n".join(record) + "\n").encode()))
    file_name = f"{name}-{version}-{tag}.whl"
    with zipfile.ZipFile(os.path.join(out_dir, file_name), "w", zipfile.ZIP_DEFLATED) as z:
        for entry, data in entries:
            info = zipfile.ZipInfo(entry, EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return file_name


def top_level(folder):
    path = os.path.join(SITE, folder, "top_level.txt")
    if not os.path.isfile(path):
        return None
    return {line.strip() for line in open(path, encoding="utf-8") if line.strip()}


def own_files(folder, folders, owners):
    files = package_files(owners[folder])
    names = top_level(folder)
    # A Debian package that ships several distributions: each takes its own top-level names.
    if names and any(owners[f] == owners[folder] for f in folders if f != folder):
        return [f for f in files if f.split("/")[0].split(".")[0] in names or f.startswith(folder)]
    return files


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    folders = metadata_folders()
    owners = {folder: owner(os.path.join(SITE, folder)) for folder in folders}
    metadata = {folder: read_metadata(folder) for folder in folders}
    names = {folder: name_and_version(metadata[folder])[0] for folder in folders}
    installed = {canonical(n): v for n, v in map(name_and_version, metadata.values())}
    dists_of = {}
    for folder in folders:
        dists_of.setdefault(owners[folder], []).append(names[folder])
    for folder in folders:
        depends = [
            d for p in debian_depends(owners[folder]) for d in dists_of.get(p, []) if d != names[folder]
        ]
        text = match_debian(add_debian_depends(metadata[folder], depends), installed)
        print(build_wheel(folder, own_files(folder, folders, owners), text, out_dir))


if __name__ == "__main__":
    main(sys.argv[1])
