"""The blocker domain: departments, routing, lifecycle, deadlines, notifications, statistics."""

# Keeps Blocker.search_text (the diacritics-folded copy the inbox searches) filled on every
# insert and update, in every process that writes blockers, not only in the web app.
import blockers.search  # noqa: F401
