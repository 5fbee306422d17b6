"""The blocker domain: departments, routing, lifecycle, deadlines, notifications, statistics."""
