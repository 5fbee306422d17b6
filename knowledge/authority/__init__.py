"""The authority map (issue 14): who holds a task since the two-level reform of 1 July 2025, read
from the decrees dividing authority when they are ingested (extract.py, provisions.py), stored
(store.py) and used by answers and corrections (answers.py) and by routing (blockers/intake.py)."""
