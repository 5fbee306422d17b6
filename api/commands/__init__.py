"""Subcommands of `troly`, one module per area."""
