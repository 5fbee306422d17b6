"""Fakes of the chat platforms (real HTTP on 127.0.0.1) and a harness running the real app."""
