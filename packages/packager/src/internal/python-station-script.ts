/**
 * The Python program that {@link inspectPythonStation} runs with the station's interpreter: it
 * reads `{wheels, requirements}` JSON on stdin and prints what the interpreter supports (its
 * `packaging.tags.sys_tags()`, or pip's vendored copy) and, with `packaging`'s own parsers,
 * each wheel's tags and each requirement's matching wheels. Standard library plus pip only.
 */
export const pythonStationScript = String.raw`import json, sys
try:
    from packaging import tags, utils, requirements
except ImportError:
    from pip._vendor.packaging import tags, utils, requirements
request = json.loads(sys.stdin.read() or "{}")
supported = [str(tag) for tag in tags.sys_tags()]
supported_set = set(supported)
first = next(iter(tags.sys_tags()))
out = {
    "executable": sys.executable,
    "python_version": "%d.%d" % sys.version_info[:2],
    "implementation": tags.interpreter_name(),
    "abi": first.abi,
    "platform": first.platform,
    "tag_count": len(supported),
    "wheels": [],
    "requirements": [],
}
try:
    import venv, ensurepip  # noqa: F401
    out["has_venv"] = True
except ImportError:
    out["has_venv"] = False
for file in request.get("wheels", []):
    try:
        name, version, _build, wheel_tags = utils.parse_wheel_filename(file)
        names = sorted(str(tag) for tag in wheel_tags)
        out["wheels"].append({"file": file, "name": str(name), "version": str(version), "tags": names, "compatible": any(tag in supported_set for tag in names)})
    except Exception as error:
        out["wheels"].append({"file": file, "error": str(error)})
lines = []
pending, start = "", 0
for number, raw in enumerate(request.get("requirements", "").splitlines(), 1):
    if not pending:
        start = number
    if raw.endswith("\\"):
        pending += raw[:-1] + " "
        continue
    lines.append((start, pending + raw))
    pending = ""
if pending:
    lines.append((start, pending))
for number, text in lines:
    stripped = text.strip()
    if stripped.startswith("#") or not stripped:
        continue
    hash_free = " ".join(part for part in stripped.split(" #")[0].split() if not part.startswith("--hash"))
    entry = {"line": number, "text": hash_free}
    if hash_free.startswith("-"):
        entry["error"] = "option %s is not allowed in an offline delivery (only requirements, one per line)" % hash_free.split()[0]
    else:
        try:
            requirement = requirements.Requirement(hash_free)
            entry["name"] = utils.canonicalize_name(requirement.name)
            if requirement.url:
                entry["error"] = "is a direct reference (%s); offline installs take wheels from wheels/ only" % requirement.url
            elif requirement.marker is not None and not requirement.marker.evaluate():
                entry["skipped"] = True
            else:
                matches = [w for w in out["wheels"] if "error" not in w and utils.canonicalize_name(w["name"]) == entry["name"]]
                entry["wheels_named"] = [w["file"] for w in matches]
                entry["wheels_in_range"] = [w["file"] for w in matches if requirement.specifier.contains(w["version"], prereleases=True)]
                entry["wheels_usable"] = [w["file"] for w in matches if w["compatible"] and requirement.specifier.contains(w["version"], prereleases=True)]
        except Exception as error:
            entry["error"] = str(error)
    out["requirements"].append(entry)
print(json.dumps(out))
`;
