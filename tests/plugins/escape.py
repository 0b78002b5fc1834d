#!/usr/bin/env python3
"""Test plugin: answers a path that leaves the output directory."""
import json
import sys

sys.stdin.read()
json.dump({"files": [{"path": "../outside.txt", "contents": "escaped\n"}]}, sys.stdout)
