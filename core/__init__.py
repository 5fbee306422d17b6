"""Settings, database engine and the SQLModel tables shared by every layer."""
