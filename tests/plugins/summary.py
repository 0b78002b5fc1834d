#!/usr/bin/env python3
"""Test plugin: reads the IR on stdin, answers one page listing every model.

A genuine consumer of the IR JSON: it checks the version and walks the
models, so the round trip through a real process is proven.
"""
import json
import sys

ir = json.load(sys.stdin)
if ir["version"] != 2:
    sys.exit(f"summary.py: unsupported IR version {ir['version']}")

lines = [f"# {ir['title']}", "", f"{len(ir['models'])} models", ""]
for model in ir["models"]:
    lines.append(f"- {model['name']}: {model['kind']}")
print("summary.py: listed %d models" % len(ir["models"]), file=sys.stderr)
json.dump({"files": [{"path": "plugin/summary.md", "contents": "\n".join(lines) + "\n"}]}, sys.stdout)
