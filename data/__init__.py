"""Data: registry of upstream releases, readers, and dyad-year panels."""
