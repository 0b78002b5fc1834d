#!/usr/bin/env python3
"""Test plugin: logs to stderr and fails with exit status 3."""
import sys

sys.stdin.read()
for i in range(1, 26):
    print(f"fail.py: log line {i}", file=sys.stderr)
print("fail.py: something went wrong", file=sys.stderr)
sys.exit(3)
