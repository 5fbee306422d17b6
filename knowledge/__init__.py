"""Guidance: load → normalise Vietnamese → split along legal structure → index → retrieve → answer."""
