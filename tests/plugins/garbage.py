#!/usr/bin/env python3
"""Test plugin: answers text that is not JSON."""
import sys

sys.stdin.read()
print("hello, this is not JSON")
