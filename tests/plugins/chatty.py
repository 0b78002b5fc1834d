#!/usr/bin/env python3
"""Test plugin: fills its stderr pipe before reading stdin, then answers a
large file, so a host that wrote stdin and only then read the other pipes
would deadlock."""
import json
import sys

sys.stderr.write("x" * 1_000_000 + "\n")
sys.stderr.flush()
ir = json.load(sys.stdin)
contents = "".join(f"{m['name']}\n" for m in ir["models"]) * 200
json.dump({"files": [{"path": "big/models.txt", "contents": contents}]}, sys.stdout)
